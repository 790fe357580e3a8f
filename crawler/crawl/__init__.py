"""The Scrapy runtime: settings, the sites file, typed items, middlewares and the pipeline glue."""
