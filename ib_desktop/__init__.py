"""IB Desktop: the support files of a Dutch primary school's intern begeleider, offline."""

__version__ = "0.1.0"
APP_NAME = "IB Desktop"
APP_SLUG = "ib-desktop"
