// Posts and reads DataZone lineage and reads a Glue workflow run with its job runs from a
// moto_glue_workflows server through the AWS SDK for JavaScript v3; prints what the SDK gave as JSON.
//
//   node sdk_v3_lineage_and_workflows.mjs '{"endpoint": "http://127.0.0.1:5000", "domainId": "dzd_...",
//       "event": "<OpenLineage run event as text>", "sourceIdentifier": "...", "workflow": "nightly",
//       "runId": "wr_...", "job": "flaky"}'
//
// Packages are found as in sdk_v3_client.mjs ($MOTO_GLUE_NODE_MODULES, else node_modules beside this
// script). Dates print as {"$date": "<ISO-8601>"}, byte arrays as {"$bytes": "<UTF-8 text>", "type": ...}.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const modules = process.env.MOTO_GLUE_NODE_MODULES || path.join(here, "node_modules");
const require = createRequire(path.join(path.resolve(modules), "resolve-from-here.js"));
const datazone = require("@aws-sdk/client-datazone");
const glue = require("@aws-sdk/client-glue");

const config = JSON.parse(process.argv[2]);
const clientConfig = {
  endpoint: config.endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  maxAttempts: 1,
};
const dz = new datazone.DataZoneClient(clientConfig);
const gl = new glue.GlueClient(clientConfig);

function plain(value) {
  if (value instanceof Date) return { $date: value.toISOString() };
  if (value instanceof Uint8Array) {
    return { $bytes: new TextDecoder().decode(value), type: value.constructor.name };
  }
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    const out = {};
    for (const [key, item] of Object.entries(value)) {
      if (key !== "$metadata" && item !== undefined) out[key] = plain(item);
    }
    return out;
  }
  return value;
}

async function call(client, service, command) {
  try {
    const output = await client.send(command);
    return { ok: true, httpStatusCode: output.$metadata.httpStatusCode, output: plain(output) };
  } catch (error) {
    if (!error.$metadata) throw error;
    const base = service === glue ? glue.GlueServiceException : datazone.DataZoneServiceException;
    return {
      ok: false,
      name: error.name,
      fault: error.$fault,
      message: error.message,
      httpStatusCode: error.$metadata.httpStatusCode,
      requestId: error.$metadata.requestId,
      // true when the SDK matched the error to its modeled exception class
      isModeledException: typeof service[error.name] === "function" && error instanceof service[error.name],
      isServiceException: error instanceof base,
    };
  }
}

const domainIdentifier = config.domainId;
const report = {};
report.posted = await call(
  dz,
  datazone,
  new datazone.PostLineageEventCommand({ domainIdentifier, event: new TextEncoder().encode(config.event) }),
);
if (report.posted.ok) {
  const identifier = report.posted.output.id;
  // The event is the response's payload; the SDK hands it over as a byte array (Uint8ArrayBlobAdapter),
  // the other members come from headers.
  const got = await dz.send(new datazone.GetLineageEventCommand({ domainIdentifier, identifier }));
  report.gotEvent = {
    httpStatusCode: got.$metadata.httpStatusCode,
    payloadType: got.event?.constructor?.name,
    payloadText: typeof got.event?.transformToString === "function" ? got.event.transformToString() : null,
    output: plain(got),
  };
}
report.node = await call(
  dz,
  datazone,
  new datazone.GetLineageNodeCommand({ domainIdentifier, identifier: config.sourceIdentifier }),
);
report.workflowRun = await call(
  gl,
  glue,
  new glue.GetWorkflowRunCommand({ Name: config.workflow, RunId: config.runId, IncludeGraph: true }),
);
report.jobRuns = await call(gl, glue, new glue.GetJobRunsCommand({ JobName: config.job }));
report.errors = {
  glueValidation: await call(gl, glue, new glue.ListWorkflowsCommand({ MaxResults: 26 })),
  glueEntityNotFound: await call(gl, glue, new glue.GetWorkflowCommand({ Name: "no-such-workflow" })),
  datazoneResourceNotFound: await call(
    dz,
    datazone,
    new datazone.GetLineageNodeCommand({ domainIdentifier, identifier: "nosuchnode0000" }),
  ),
  datazoneValidation: await call(
    dz,
    datazone,
    new datazone.PostLineageEventCommand({ domainIdentifier, event: new TextEncoder().encode("not json") }),
  ),
};
console.log(JSON.stringify(report, null, 2));
