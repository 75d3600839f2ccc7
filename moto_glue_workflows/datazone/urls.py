from moto_glue_workflows.datazone.responses import DataZoneResponse

# boto3 calls datazone.<region>.api.aws (datazone-fips.<region>.api.aws with FIPS endpoints, and
# datazone.<region>.api.amazonwebservices.com.cn in China); a signed request reaching the
# standalone server is dispatched by its SigV4 scope to datazone.<region>.amazonaws.com. Every
# one of them must match, or mock_aws lets the call through to AWS.
url_bases = [
    r"https?://datazone(?:-fips)?\.(.+)\.api\.aws",
    r"https?://datazone(?:-fips)?\.(.+)\.amazonaws\.com",
    r"https?://datazone(?:-fips)?\.(.+)\.api\.amazonwebservices\.com\.cn",
]

url_paths = {
    "{0}/v2/domains$": DataZoneResponse.dispatch,
    "{0}/v2/domains/(?P<identifier>[^/]+)$": DataZoneResponse.dispatch,
    "{0}/v2/domains/(?P<domainIdentifier>[^/]+)/jobRuns/(?P<identifier>[^/]+)$": DataZoneResponse.dispatch,
    "{0}/v2/domains/(?P<domainIdentifier>[^/]+)/jobs/(?P<jobIdentifier>[^/]+)/runs$": DataZoneResponse.dispatch,
    "{0}/v2/domains/(?P<domainIdentifier>[^/]+)/lineage/events$": DataZoneResponse.dispatch,
    "{0}/v2/domains/(?P<domainIdentifier>[^/]+)/lineage/events/(?P<identifier>[^/]+)$": DataZoneResponse.dispatch,
    "{0}/v2/domains/(?P<domainIdentifier>[^/]+)/lineage/nodes/(?P<identifier>.+)/history$": DataZoneResponse.dispatch,
    "{0}/v2/domains/(?P<domainIdentifier>[^/]+)/lineage/nodes/(?P<identifier>.+)$": DataZoneResponse.dispatch,
    "{0}/v2/domains/(?P<domainIdentifier>[^/]+)/connections$": DataZoneResponse.dispatch,
    "{0}/v2/domains/(?P<domainIdentifier>[^/]+)/connections/(?P<identifier>[^/]+)$": DataZoneResponse.dispatch,
    # Anything else of DataZone's is answered as not implemented here, never sent to AWS.
    "{0}/(?P<unimplemented>.*)$": DataZoneResponse.dispatch,
}
