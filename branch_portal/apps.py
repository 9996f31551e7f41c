"""django-axes under the portal's own name: its admin section heads "登录防护"."""

from axes.apps import AppConfig as AxesAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "登录防护"

    def ready(self):
        super().ready()
        from . import axes_admin

        axes_admin.register()
