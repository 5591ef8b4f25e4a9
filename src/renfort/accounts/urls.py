from django.urls import path

from renfort.accounts import invitation_views, security_views, two_factor_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("password/done/", views.password_change_done, name="password_change_done"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("language/", views.set_language, name="set_language"),
    path("preferences/", views.preferences, name="preferences"),
    path("two-factor/", two_factor_views.verify, name="two_factor_verify"),
    path("two-factor/set-up/", two_factor_views.enrol, name="two_factor_enrol"),
    path("two-factor/codes/", two_factor_views.codes, name="two_factor_codes"),
    path("two-factor/new-codes/", two_factor_views.new_codes, name="two_factor_new_codes"),
    path("two-factor/turn-off/", two_factor_views.disable, name="two_factor_disable"),
    path("lockouts/", security_views.lockout_list, name="lockouts"),
    path("lockouts/unlock/", security_views.lockout_unlock, name="lockout_unlock"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read-all/", views.notifications_read_all, name="inbox_read_all"),
    path("inbox/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("people/", invitation_views.people, name="people"),
    path("people/invite/", invitation_views.invite, name="invite"),
    path(
        "people/invitations/<int:pk>/revoke/",
        invitation_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "people/<int:pk>/deactivate/",
        invitation_views.account_deactivate,
        name="account_deactivate",
    ),
    path(
        "people/<int:pk>/reactivate/",
        invitation_views.account_reactivate,
        name="account_reactivate",
    ),
    path("invitation/<str:token>/", invitation_views.invitation_accept, name="invitation_accept"),
]
