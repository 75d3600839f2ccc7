"""Crawls that fill the Data Catalog from mocked S3, and the metrics crawlers report."""

from moto_glue_workflows.crawlers.crawl import CatalogChanges, perform_crawl

__all__ = ["CatalogChanges", "perform_crawl"]
