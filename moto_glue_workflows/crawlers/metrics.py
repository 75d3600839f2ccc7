"""GetCrawlerMetrics (moto lacks it): per crawler, the last crawl's tables created, updated and
deleted and its run times, as the API reference's CrawlerMetrics describes them."""

from __future__ import annotations

import statistics
from typing import Any

from moto_glue_workflows.glue.exceptions import ValidationException
from moto_glue_workflows.protocol.pagination import InvalidToken, page

_FINISHED = ("COMPLETED", "FAILED", "STOPPED")


def _metrics(crawler: Any) -> dict[str, Any]:
    if crawler.crawls:
        crawler.crawls[-1].advance()  # a read of the crawler's progress, as ListCrawls is
    finished = [c for c in crawler.crawls if c.status in _FINISHED and c.end_time is not None]
    runtimes = [(c.end_time - c.start_time).total_seconds() for c in finished]
    last_running = bool(crawler.crawls) and crawler.crawls[-1].status in ("RUNNING", "STOPPING")
    changes = getattr(finished[-1], "catalog_changes", None) if finished else None
    return {
        "CrawlerName": crawler.name,
        "TimeLeftSeconds": 0.0,
        "StillEstimating": last_running,
        "LastRuntimeSeconds": runtimes[-1] if runtimes else 0.0,
        "MedianRuntimeSeconds": float(statistics.median(runtimes)) if runtimes else 0.0,
        "TablesCreated": len(changes.created) if changes else 0,
        "TablesUpdated": len(changes.updated) if changes else 0,
        "TablesDeleted": len(changes.deleted) if changes else 0,
    }


def crawler_metrics(
    every_crawler: list[Any], names: list[str] | None, max_results: int | None, next_token: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """Metrics of the crawlers named (all crawlers when none are), in pages; names of crawlers that
    do not exist are left out."""
    crawlers = [c for c in every_crawler if not names or c.name in names]
    try:
        chosen, token = page(crawlers, max_results or 100, next_token, {"op": "GetCrawlerMetrics", "names": names})
    except InvalidToken:
        # GetCrawlerMetrics lists no InvalidInputException; a token it never gave is a validation error.
        raise ValidationException(f"Invalid NextToken: {next_token}") from None
    return [_metrics(c) for c in chosen], token
