"""The shared 党员发展 menu group; stage plugins add their pages with ``xf_development_pages``."""
from __future__ import annotations

from fastapi_amis_admin.amis.components import PageSchema

from core.admin_site import XfApp


def development_app(pages: list[type]) -> type[XfApp]:
    class DevelopmentApp(XfApp):
        page_schema = PageSchema(label="党员发展", icon="fa fa-users", sort=70)
        router_prefix = "/development"

        def __init__(self, app):
            super().__init__(app)
            self.register_admin(*pages)

    return DevelopmentApp
