"""Public pages of the directory: thin views over the selectors."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, ListView, View

from rightsnet.abuse import LIMIT_MESSAGES, over_limit
from rightsnet.i18n import current_language

from . import contacts, messaging, page_selectors, services, statistics, suggestions
from .forms import ContactForm, SuggestionForm
from .models import ContactMessage, Submission


def home(request):
    return render(
        request,
        "directory/home.html",
        {
            "activities": page_selectors.activities_with_counts(),
            "top_regions": page_selectors.top_regions(),
            "recent": page_selectors.recently_updated(),
            "org_count": page_selectors.published_count(),
            "practices": page_selectors.latest_practices(),
        },
    )


def about(request):
    return render(
        request, "directory/about.html", {"contact_email": settings.RIGHTSNET_CONTACT_EMAIL}
    )


def organization_statistics(request):
    """Charts of the organizations the list's filters select (``directory.statistics``)."""
    stats = statistics.organization_statistics(request.GET, current_language())
    return render(
        request,
        "directory/statistics.html",
        {
            "stats": stats,
            "result": stats.result,
            "notes": stats.result.notes,
            "export_csv_url": stats.export_csv_url,
            "export_json_url": stats.export_json_url,
            "export_xlsx_url": stats.export_xlsx_url,
            "clear_url": request.path,
        },
    )


class OrganizationDetailView(DetailView):
    template_name = "directory/organization_detail.html"

    def get_object(self, queryset=None):
        return page_selectors.organization_detail(self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["similar"] = page_selectors.similar_organizations(self.object)
        # Judged at each request: the cached organization does not see the days pass.
        context["contacts"] = contacts.of(self.object)
        context["accepts_messages"] = messaging.accepts_messages(self.object)
        return context


@require_http_methods(["GET", "HEAD", "POST"])
def organization_contact(request, slug):
    """ "Write to this group": a form whose message goes by email to the organization's
    address, which the page never shows (``directory.messaging``)."""
    organization = page_selectors.organization_to_write_to(slug)
    context = {
        "organization": organization,
        "accepts_messages": messaging.accepts_messages(organization),
        "contact_email": settings.RIGHTSNET_CONTACT_EMAIL,
    }
    template = "directory/organization_contact.html"
    if not context["accepts_messages"]:
        return render(request, template, context)
    status = 200
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            language = current_language()
            limit = over_limit(request, "contact", sender=data["email"], organization=organization)
            if limit:
                messaging.contact_message_refused(
                    organization=organization, email=data["email"], reason=f"limit: {limit}",
                    language=language,
                )  # fmt: skip
                form.add_error(None, LIMIT_MESSAGES[limit])
                status = 429
            else:
                sent = messaging.contact_message_send(
                    organization=organization, name=data["name"], email=data["email"],
                    message=data["message"], language=language,
                )  # fmt: skip
                if sent.outcome == ContactMessage.Outcome.DELIVERED:
                    return render(request, "directory/organization_contact_sent.html", context)
                form.add_error(None, messaging.not_sent_message())
                status = 503
    else:
        form = ContactForm()
    context["form"] = form
    response = render(request, template, context, status=status)
    if status == 503:
        response["Retry-After"] = "300"
    return response


class RegionListView(ListView):
    template_name = "directory/region_list.html"
    context_object_name = "tree"

    def get_queryset(self):
        return page_selectors.region_tree()


class RegionDetailView(View):
    def get(self, request, slug):
        context = page_selectors.region_landing(slug)
        return render(request, "directory/region_detail.html", context)


class ActivityListView(ListView):
    template_name = "directory/activity_list.html"
    context_object_name = "activities"

    def get_queryset(self):
        return page_selectors.activities_with_counts()


class ActivityDetailView(View):
    def get(self, request, slug):
        context = page_selectors.activity_landing(slug)
        return render(request, "directory/activity_detail.html", context)


class PersonDetailView(DetailView):
    template_name = "directory/person_detail.html"

    def get_object(self, queryset=None):
        return page_selectors.person_detail(self.kwargs["slug"])


class PracticeDetailView(DetailView):
    template_name = "directory/practice_detail.html"
    context_object_name = "practice"

    def get_object(self, queryset=None):
        return page_selectors.practice_detail(self.kwargs["slug"])


@require_http_methods(["GET", "POST"])
def organization_suggest(request, slug):
    """ "Suggest a correction": a form pre-filled with the entry's public values."""
    organization = suggestions.public_organization(slug)
    if organization is None:
        raise Http404
    return _suggest(request, organization)


@require_http_methods(["GET", "POST"])
def suggest(request):
    """ "Add an organization"."""
    return _suggest(request, None)


def _suggest(request, organization):
    language = current_language()
    current = suggestions.public_values(organization) if organization is not None else None
    options = {"language": language, "organization": organization, "current": current}
    status, limit_message = 200, ""
    if request.method == "POST":
        form = SuggestionForm(request.POST, **options)
        if form.is_valid():
            email = form.cleaned_data["submitter_email"]
            limit = over_limit(request, "suggest", sender=email, organization=organization)
            if limit is None:
                services.submission_create(
                    kind=Submission.Kind.CORRECTION if organization else Submission.Kind.NEW,
                    organization=organization,
                    data=form.proposal(),
                    source_note=form.cleaned_data["source"],
                    submitter_name=form.cleaned_data["submitter_name"],
                    submitter_email=email,
                    language=language,
                )
                thanks = reverse("directory:suggest_thanks")
                return redirect(f"{thanks}?note=1" if email else thanks)
            status, limit_message = 429, LIMIT_MESSAGES[limit]
    else:
        form = SuggestionForm(**options)
    context = {
        "form": form,
        "organization": organization,
        "limit_message": limit_message,
        "restricted_contacts": organization is not None and not organization.contacts_public,
    }
    return render(request, "directory/suggest.html", context, status=status)


def suggest_thanks(request):
    return render(
        request, "directory/suggest_thanks.html", {"note": request.GET.get("note") == "1"}
    )
