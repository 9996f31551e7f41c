from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save


class MembersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members"
    verbose_name = "党员"

    def ready(self):
        from common.text import strip_control_characters_on_save

        from . import freshness, signals

        # Control characters are stripped from the text of every portal record when it is saved
        # (forms, import, admin, code alike), so no stored text breaks an Excel or Word export.
        for model in freshness.portal_models():
            pre_save.connect(
                strip_control_characters_on_save,
                sender=model,
                dispatch_uid=f"control_chars_{model._meta.label}",
            )

        # A change to any record moves its branch's data version on (cached pages go stale).
        # Every model of the portal's apps that declares its ``branch_path`` is tracked.
        for model in freshness.tracked_models():
            uid = f"freshness_{model._meta.label}"
            post_save.connect(freshness.record_changed, sender=model, dispatch_uid=f"{uid}_save")
            post_delete.connect(freshness.record_changed, sender=model, dispatch_uid=f"{uid}_del")

        # Every rule (dated data judging the branches' records) moves the branches it covers.
        for model in freshness.rule_models():
            uid = f"freshness_rule_{model._meta.label}"
            post_save.connect(freshness.rule_changed, sender=model, dispatch_uid=f"{uid}_save")
            post_delete.connect(freshness.rule_changed, sender=model, dispatch_uid=f"{uid}_del")

        post_save.connect(
            freshness.role_changed, sender="members.RoleAssignment", dispatch_uid="members_role_v"
        )
        post_delete.connect(
            freshness.role_changed, sender="members.RoleAssignment", dispatch_uid="members_role_vd"
        )

        post_migrate.connect(signals.refresh_role_groups, dispatch_uid="members_role_groups")
        post_save.connect(
            signals.role_assigned, sender="members.RoleAssignment", dispatch_uid="members_role_in"
        )
        post_delete.connect(
            signals.role_removed, sender="members.RoleAssignment", dispatch_uid="members_role_out"
        )
