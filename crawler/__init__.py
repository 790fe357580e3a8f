"""An archive of the annual reports Chinese governments publish on their 政务公开 pages."""

__version__ = "0.1.0"
USER_AGENT = (
    f"gov-report-archive/{__version__} (+https://github.com/gov-report-archive; "
    "research archive of 法治政府建设年度报告)"
)
