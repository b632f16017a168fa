"""SQL Server's own plans: read from a saved file or asked of a server, and matched to the
statements they were made from."""


class PlanError(ValueError):
    """A plan that cannot be read; the message is one line naming the file."""
