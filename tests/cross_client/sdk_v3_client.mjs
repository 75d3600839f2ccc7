// Reads DataZone job runs (and lists Glue workflows) from a moto_glue_workflows server through
// the AWS SDK for JavaScript v3, and prints what the SDK deserialized as one JSON document.
//
//   node sdk_v3_client.mjs '{"endpoint": "http://127.0.0.1:5000", "domainId": "dzd_...",
//                            "jobId": "redshift-lineage", "runIds": ["..."], "missingRunId": "..."}'
//
// The SDK packages are looked up in $MOTO_GLUE_NODE_MODULES when it is set, else in the
// node_modules folder beside this script (`npm install --no-package-lock` here).
// Dates are printed as {"$date": "<ISO-8601>"} so a reader can tell the SDK gave a Date.
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
  region: config.region || "us-east-1",
  credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  maxAttempts: 1,
};
const dz = new datazone.DataZoneClient(clientConfig);
const gl = new glue.GlueClient(clientConfig);

function plain(value) {
  // The SDK's output, minus $metadata, with every Date made visible as such.
  if (value instanceof Date) return { $date: value.toISOString() };
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

async function call(client, command) {
  try {
    const output = await client.send(command);
    return { ok: true, httpStatusCode: output.$metadata.httpStatusCode, output: plain(output) };
  } catch (error) {
    if (!error.$metadata) throw error;
    return {
      ok: false,
      name: error.name,
      fault: error.$fault,
      message: error.message,
      httpStatusCode: error.$metadata.httpStatusCode,
      requestId: error.$metadata.requestId,
      // true when the SDK matched the error code to its modeled exception class
      isModeledException: typeof datazone[error.name] === "function" && error instanceof datazone[error.name],
      isDataZoneServiceException: error instanceof datazone.DataZoneServiceException,
    };
  }
}

const domainIdentifier = config.domainId;
const report = { getJobRun: {}, listJobRuns: null, paginated: null, errors: {}, domainLifecycle: null, glue: null };
for (const identifier of config.runIds) {
  report.getJobRun[identifier] = await call(dz, new datazone.GetJobRunCommand({ domainIdentifier, identifier }));
}
report.listJobRuns = await call(dz, new datazone.ListJobRunsCommand({ domainIdentifier, jobIdentifier: config.jobId }));
// The SDK's paginator, one run a page, follows nextToken to the end.
const pages = [];
for await (const page of datazone.paginateListJobRuns(
  { client: dz, pageSize: 1 },
  { domainIdentifier, jobIdentifier: config.jobId },
)) {
  pages.push((page.items || []).map((item) => item.runId));
}
report.paginated = { pages: pages.length, runIds: pages.flat() };
report.errors.unknownRun = await call(
  dz,
  new datazone.GetJobRunCommand({ domainIdentifier, identifier: config.missingRunId || "doesnotexist00" }),
);
report.errors.maxResults51 = await call(
  dz,
  new datazone.ListJobRunsCommand({ domainIdentifier, jobIdentifier: config.jobId, maxResults: 51 }),
);
report.errors.notImplemented = await call(dz, new datazone.ListProjectsCommand({ domainIdentifier }));

// CreateDomain answers 201 and DeleteDomain 202, as DataZone does.
if (config.scratchDomainName) {
  const created = await call(
    dz,
    new datazone.CreateDomainCommand({
      name: config.scratchDomainName,
      domainExecutionRole: "arn:aws:iam::123456789012:role/node-sdk",
    }),
  );
  const deleted = created.ok
    ? await call(dz, new datazone.DeleteDomainCommand({ identifier: created.output.id }))
    : null;
  report.domainLifecycle = { created, deleted };
}

report.glue = await call(gl, new glue.ListWorkflowsCommand({}));
console.log(JSON.stringify(report, null, 2));
