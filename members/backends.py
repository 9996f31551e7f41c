"""The login backend: Django's ``ModelBackend``, reading the account's person record with it."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PersonModelBackend(ModelBackend):
    """Loads the signed-in account together with its person record (one query, not two).

    Every page's navigation asks for ``user.person`` (the link to 我的档案); with the record
    joined to the account's own query that costs nothing more. An account without a person
    record gets none, as before.
    """

    def get_user(self, user_id):
        UserModel = get_user_model()
        try:
            user = UserModel._default_manager.select_related("person").get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
