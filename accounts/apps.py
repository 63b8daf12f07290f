from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from accounts import personal_data, privacy, retention

        retention.register_accounts_kinds()
        personal_data.register_accounts_sections()
        # After every migrate (and every test flush): one rule per registered kind, and a privacy
        # policy to show until staff write theirs. Rows, not data migrations, so a flush cannot lose them.
        post_migrate.connect(retention.ensure_rules, sender=self, dispatch_uid="accounts.ensure_retention_rules")
        post_migrate.connect(privacy.ensure_policy, sender=self, dispatch_uid="accounts.ensure_privacy_policy")
