from .responses import DataZoneResponse

# boto3 calls datazone.<region>.api.aws; a signed request reaching the standalone server is
# dispatched by its SigV4 scope to datazone.<region>.amazonaws.com.
url_bases = [r"https?://datazone\.(.+)\.api\.aws", r"https?://datazone\.(.+)\.amazonaws\.com"]

url_paths = {
    "{0}/v2/domains$": DataZoneResponse.dispatch,
    "{0}/v2/domains/(?P<identifier>[^/]+)$": DataZoneResponse.dispatch,
    "{0}/v2/domains/(?P<domainIdentifier>[^/]+)/jobRuns/(?P<identifier>[^/]+)$": DataZoneResponse.dispatch,
    "{0}/v2/domains/(?P<domainIdentifier>[^/]+)/jobs/(?P<jobIdentifier>[^/]+)/runs$": DataZoneResponse.dispatch,
    # Anything else of DataZone's is answered as not implemented here, never sent to AWS.
    "{0}/(?P<unimplemented>.*)$": DataZoneResponse.dispatch,
}
