from moto_glue_workflows.server import main

if __name__ == "__main__":
    main()
