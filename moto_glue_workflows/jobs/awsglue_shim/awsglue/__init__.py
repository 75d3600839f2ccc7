"""A small stand-in for AWS Glue's ``awsglue`` library, put beside Python shell scripts the mock runs."""
