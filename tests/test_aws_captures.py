"""Our answers for the inputs of captured AWS answers match those answers, field by field.

Each capture below was copied from a public record of a real AWS answer (named in its test); ids, times and
``ExecutionTime`` differ from run to run and are left out of the comparison, and so is anything the capture
predates (``ExecutionClass`` came in 2022; newer captures, such as the Glue guide's, carry it).
"""

from __future__ import annotations

from typing import Any

from tests.conftest import AWS

VARIES = {"Id", "PreviousRunId", "StartedOn", "LastModifiedOn", "CompletedOn", "ExecutionTime", "ExecutionClass"}

# aws/aws-cli awscli/examples/glue/get-job-run.rst (the same run heads get-job-runs.rst)
GET_JOB_RUN = {
    "Attempt": 0,
    "JobName": "Combine legistators data",
    "JobRunState": "SUCCEEDED",
    "Arguments": {
        "--enable-continuous-cloudwatch-log": "true",
        "--enable-metrics": "",
        "--enable-spark-ui": "true",
        "--job-bookmark-option": "job-bookmark-enable",
        "--spark-event-logs-path": "s3://aws-glue-assets-111122223333-us-east-1/sparkHistoryLogs/",
    },
    "PredecessorRuns": [],
    "AllocatedCapacity": 10,
    "Timeout": 2880,
    "MaxCapacity": 10.0,
    "WorkerType": "G.1X",
    "NumberOfWorkers": 10,
    "LogGroupName": "/aws-glue/jobs",
    "GlueVersion": "2.0",
}

# The Glue developer guide's resuming-workflow page: a Python shell job's run in a workflow's graph
GRAPH_PYTHON_SHELL_RUN = {
    "Attempt": 0,
    "TriggerName": "test1_aggregate_failure_649b2432",
    "JobName": "test1_post_failure_4592978",
    "JobRunState": "FAILED",
    "PredecessorRuns": [],
    "AllocatedCapacity": 0,
    "Timeout": 2880,
    "MaxCapacity": 0.0625,
    "LogGroupName": "/aws-glue/python-jobs",
}


def comparable(run: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in run.items() if key not in VARIES}


def test_get_job_run_as_aws_clis_example(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_job(
        Name="Combine legistators data",
        Role="Glue_DefaultRole",
        Command={"Name": "glueetl", "ScriptLocation": "s3://aws-glue-scripts/combine.py"},
        DefaultArguments=GET_JOB_RUN["Arguments"],
        WorkerType="G.1X",
        NumberOfWorkers=10,
        GlueVersion="2.0",
    )
    run_id = glue.start_job_run(JobName="Combine legistators data")["JobRunId"]
    run = glue.get_job_run(JobName="Combine legistators data", RunId=run_id)["JobRun"]
    assert comparable(run) == GET_JOB_RUN
    [listed] = glue.get_job_runs(JobName="Combine legistators data")["JobRuns"]
    assert comparable(listed) == GET_JOB_RUN


def test_get_job_runs_of_retried_attempts_as_aws_clis_example(aws: AWS) -> None:
    """get-job-runs.rst: two failed attempts ``<id>_attempt_1`` and ``_attempt_2``, each naming the attempt it
    retries, newest first, each with the job's capacity and an empty PredecessorRuns."""
    glue = aws.client("glue")
    glue.create_job(
        Name="my-testing-job",
        Role="Glue_DefaultRole",
        Command={"Name": "glueetl", "ScriptLocation": "s3://aws-glue-scripts/test.py"},
        WorkerType="G.1X",
        NumberOfWorkers=10,
        GlueVersion="2.0",
        MaxRetries=2,
    )
    denied = "An error occurred while calling o122.pyWriteDynamicFrame. Access Denied (Service: Amazon S3)"
    aws.control.set_job_run_outcome(job_name="my-testing-job", state="FAILED", error_message=denied)
    first = glue.start_job_run(JobName="my-testing-job")["JobRunId"]
    runs = glue.get_job_runs(JobName="my-testing-job")["JobRuns"]
    while len(runs) < 3 or runs[0]["JobRunState"] != "FAILED":
        glue.get_job_run(JobName="my-testing-job", RunId=runs[0]["Id"])  # reads move the attempts on
        runs = glue.get_job_runs(JobName="my-testing-job")["JobRuns"]

    assert [(run["Id"], run["Attempt"], run.get("PreviousRunId")) for run in runs] == [
        (f"{first}_attempt_2", 2, f"{first}_attempt_1"),
        (f"{first}_attempt_1", 1, first),
        (first, 0, None),
    ]
    # Each attempt as the example lists it: the first run's fields but its own attempt, state and error.
    attempt = {key: value for key, value in GET_JOB_RUN.items() if key != "Arguments"}
    attempt |= {"JobName": "my-testing-job", "JobRunState": "FAILED", "ErrorMessage": denied}
    for run in runs:
        assert comparable(run) == {**attempt, "Attempt": run["Attempt"]}


def test_a_python_shell_run_in_a_workflow_graph_as_the_glue_guide_shows(aws: AWS) -> None:
    glue = aws.client("glue")
    glue.create_job(
        Name="test1_post_failure_4592978",
        Role="Glue_DefaultRole",
        Command={"Name": "pythonshell", "ScriptLocation": "s3://aws-glue-scripts/post.py", "PythonVersion": "3.9"},
    )
    glue.create_workflow(Name="test1")
    glue.create_trigger(
        Name="test1_aggregate_failure_649b2432",
        WorkflowName="test1",
        Type="ON_DEMAND",
        Actions=[{"JobName": "test1_post_failure_4592978"}],
    )
    aws.control.set_job_run_outcome(job_name="test1_post_failure_4592978", state="FAILED")
    run_id = glue.start_workflow_run(Name="test1")["RunId"]
    graph = glue.get_workflow_run(Name="test1", RunId=run_id, IncludeGraph=True)["Run"]["Graph"]
    [node] = [node for node in graph["Nodes"] if node["Type"] == "JOB"]
    [job_run] = node["JobDetails"]["JobRuns"]
    assert {
        key: value
        for key, value in comparable(job_run).items()
        if key not in ("ErrorMessage", "Arguments", "GlueVersion")
    } == GRAPH_PYTHON_SHELL_RUN


def test_a_crawler_reads_back_glues_schema_change_policy_defaults(aws: AWS) -> None:
    """terraform-provider-aws's crawler acceptance tests create crawlers without a schema_change_policy and read
    back ``delete_behavior = DEPRECATE_IN_DATABASE``, ``update_behavior = UPDATE_IN_DATABASE`` (the Glue guide's
    crawler-configuration page names them the defaults). A policy that names one behavior keeps the other's
    default; one that names both is read back as given."""
    glue = aws.client("glue")
    targets = {"S3Targets": [{"Path": "s3://lake/orders/"}]}
    glue.create_crawler(Name="plain", Role="glue", DatabaseName="db", Targets=targets)
    glue.create_crawler(
        Name="logging", Role="glue", DatabaseName="db", Targets=targets, SchemaChangePolicy={"UpdateBehavior": "LOG"}
    )
    given = {"UpdateBehavior": "LOG", "DeleteBehavior": "DELETE_FROM_DATABASE"}
    glue.create_crawler(Name="given", Role="glue", DatabaseName="db", Targets=targets, SchemaChangePolicy=given)

    def policy(name: str) -> dict[str, str]:
        return dict(glue.get_crawler(Name=name)["Crawler"]["SchemaChangePolicy"])

    assert policy("plain") == {"UpdateBehavior": "UPDATE_IN_DATABASE", "DeleteBehavior": "DEPRECATE_IN_DATABASE"}
    assert policy("logging") == {"UpdateBehavior": "LOG", "DeleteBehavior": "DEPRECATE_IN_DATABASE"}
    assert policy("given") == given
    listed = {crawler["Name"]: crawler["SchemaChangePolicy"] for crawler in glue.get_crawlers()["Crawlers"]}
    assert listed["plain"] == policy("plain")


# Athena's SHOW CREATE TABLE of a table an AWS Glue crawler made from a CSV whose first row is not taken for a
# header (every value a string), published in a public repository ("team_mapping", s3://alt-nfl-database/)
CRAWLED_CSV_COLUMNS = [{"Name": "col0", "Type": "string"}, {"Name": "col1", "Type": "string"}]
CRAWLED_CSV_PROPERTIES = {
    "CrawlerSchemaDeserializerVersion": "1.0",
    "CrawlerSchemaSerializerVersion": "1.0",
    "UPDATED_BY_CRAWLER": "NFL-DB-Crawler",
    "areColumnsQuoted": "false",
    "classification": "csv",
    "columnsOrdered": "true",
    "compressionType": "none",
    "delimiter": ",",
    "objectCount": "1",
    "typeOfData": "file",
}
COUNTED = ("CRAWL_RUN_ID", "averageRecordSize", "recordCount", "sizeKey")  # of the data: checked for presence


def test_a_crawled_csv_without_a_header_as_athena_shows_a_crawler_made_table(aws: AWS) -> None:
    """Columns ``col0``, ``col1``... (the Glue guide's add-classifier page writes ``col1, col2``; the tables
    crawlers make say ``col0``), LazySimpleSerDe over ``,``, and the crawler's table properties."""
    s3, glue = aws.client("s3"), aws.client("glue")
    s3.create_bucket(Bucket="alt-nfl-database")
    rows = ["team_id,team_names", "ARI,Arizona Cardinals ARI", "ATL,Atlanta Falcons ATL", "BAL,Baltimore Ravens BAL"]
    s3.put_object(Bucket="alt-nfl-database", Key="team_mapping/teams.csv", Body="\n".join(rows).encode() + b"\n")
    glue.create_crawler(
        Name="NFL-DB-Crawler",
        Role="glue",
        DatabaseName="nfl",
        Targets={"S3Targets": [{"Path": "s3://alt-nfl-database/team_mapping/"}]},
    )
    glue.start_crawler(Name="NFL-DB-Crawler")
    while glue.get_crawler(Name="NFL-DB-Crawler")["Crawler"]["State"] != "READY":
        pass

    table = glue.get_table(DatabaseName="nfl", Name="team_mapping")["Table"]
    storage = table["StorageDescriptor"]
    assert storage["Columns"] == CRAWLED_CSV_COLUMNS
    assert storage["Location"] == "s3://alt-nfl-database/team_mapping/"
    assert storage["InputFormat"] == "org.apache.hadoop.mapred.TextInputFormat"
    assert storage["OutputFormat"] == "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
    assert storage["SerdeInfo"]["SerializationLibrary"] == "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
    assert storage["SerdeInfo"]["Parameters"] == {"field.delim": ","}
    assert table["TableType"] == "EXTERNAL_TABLE"
    parameters = dict(table["Parameters"])
    assert sorted(parameters) == sorted([*CRAWLED_CSV_PROPERTIES, *COUNTED])
    assert {key: parameters[key] for key in CRAWLED_CSV_PROPERTIES} == CRAWLED_CSV_PROPERTIES
    [crawl] = glue.list_crawls(CrawlerName="NFL-DB-Crawler")["Crawls"]
    assert parameters["CRAWL_RUN_ID"] == crawl["CrawlId"]


def test_a_domain_that_is_not_there_answers_403_naming_the_operation(aws: AWS) -> None:
    """terraform-provider-aws internal/service/datazone/errors.go: "DataZone returns a 403 when the domain does
    not exist — AccessDeniedException: User is not permitted to perform operation: GetDomain"."""
    import botocore.exceptions
    import pytest

    dz = aws.client("datazone")
    domain = dz.create_domain(name="gone", domainExecutionRole="arn:aws:iam::123456789012:role/dz")["id"]
    dz.delete_domain(identifier=domain)
    while dz.list_domains().get("items"):
        pass  # DELETING, then gone
    for operation, call in [
        ("GetDomain", lambda: dz.get_domain(identifier="dzd_nothere0000")),
        ("GetDomain", lambda: dz.get_domain(identifier=domain)),
        ("DeleteDomain", lambda: dz.delete_domain(identifier="dzd_nothere0000")),
        ("ListJobRuns", lambda: dz.list_job_runs(domainIdentifier="dzd_nothere0000", jobIdentifier="job")),
        ("ListConnections", lambda: dz.list_connections(domainIdentifier="dzd_nothere0000")),
    ]:
        with pytest.raises(botocore.exceptions.ClientError) as refused:
            call()
        error = refused.value.response["Error"]
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        assert (error["Code"], error["Message"]) == (
            "AccessDeniedException",
            f"User is not permitted to perform operation: {operation}",
        )
