from django.urls import path

from traineenett.finance import board_views, views

app_name = "finance"
urlpatterns = [
    path("finance/", views.overview, name="overview"),
    path("finance/settings/", views.finance_settings, name="settings"),
    path("finance/billing/", views.billing_contacts, name="billing_contacts"),
    path("finance/billing/<int:pk>/", views.billing_contact_edit, name="billing_contact_edit"),
    path("finance/fees/", views.schedule_list, name="schedule_list"),
    path("finance/fees/new/", views.schedule_create, name="schedule_create"),
    path("finance/fees/<int:pk>/", views.schedule_detail, name="schedule_detail"),
    path("finance/fees/rules/<int:pk>/delete/", views.fee_rule_delete, name="fee_rule_delete"),
    path("finance/invoices/", views.invoice_list, name="invoice_list"),
    path("finance/invoices/generate/", views.invoice_generate, name="invoice_generate"),
    path("finance/invoices/export.csv", views.invoice_export, name="invoice_export"),
    path("finance/invoices/<int:pk>/", views.invoice_detail, name="invoice_detail"),
    path("finance/invoices/<int:pk>/edit/", views.invoice_edit, name="invoice_edit"),
    path("finance/invoices/<int:pk>/issue/", views.invoice_issue, name="invoice_issue"),
    path("finance/invoices/<int:pk>/paid/", views.invoice_paid, name="invoice_paid"),
    path("finance/invoices/<int:pk>/credit/", views.invoice_credit, name="invoice_credit"),
    path("finance/invoices/<int:pk>/pdf/", views.invoice_pdf_view, name="invoice_pdf"),
    path("finance/settlements/", views.settlement_report, name="settlements"),
    path("finance/budget/", views.budget, name="budget"),
    path("finance/budget/<int:year>/", views.budget_edit, name="budget_edit"),
    path("my-invoices/", views.own_invoices, name="own_invoices"),
    path("my-invoices/<int:invoice_id>/", views.own_invoice_detail, name="own_invoice_detail"),
    path("my-invoices/<int:invoice_id>/pdf/", views.own_invoice_pdf, name="own_invoice_pdf"),
    path("membership/apply/", board_views.application_form, name="application_form"),
    path("membership/apply/lookup/", board_views.application_lookup, name="application_lookup"),
    path(
        "membership/apply/received/", board_views.application_received, name="application_received"
    ),
    path("board/", board_views.board, name="board"),
    path("board/applications/", board_views.application_list, name="application_list"),
    path("board/applications/<int:pk>/", board_views.application_detail, name="application_detail"),
    path("board/seats/new/", board_views.seat_create, name="seat_create"),
    path("board/seats/<int:pk>/end/", board_views.seat_end, name="seat_end"),
    path("board/meetings/new/", board_views.meeting_create, name="meeting_create"),
    path("board/meetings/<int:pk>/", board_views.meeting_detail, name="meeting_detail"),
    path(
        "board/attachments/<int:pk>/", board_views.attachment_download, name="attachment_download"
    ),
]
