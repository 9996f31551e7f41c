import datetime

from django import forms


class CommitteePeriodForm(forms.Form):
    """The period of the committee table: a campaign (by name) or a calendar year.

    Without either, the year is ``figures.default_year``; a campaign wins over a year.
    """

    campaign = forms.ChoiceField(label="活动", required=False)
    year = forms.IntegerField(label="年度", required=False, min_value=1949)

    def __init__(self, data=None, *, today: datetime.date, default: int, campaigns: list[str]):
        self.today, self.default = today, default
        super().__init__(data)
        self.fields["campaign"].choices = [("", "按年度"), *[(name, name) for name in campaigns]]
        self.fields["year"].widget.attrs.update(max=today.year, placeholder=str(default))

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year is not None and year > self.today.year:
            raise forms.ValidationError(f"年度不能晚于 {self.today.year} 年。")
        return year

    def chosen(self) -> tuple[str, int]:
        """(campaign name or "", year): valid values asked for, else the defaults."""
        if not (self.is_bound and self.is_valid()):
            return "", self.default
        return self.cleaned_data["campaign"], self.cleaned_data["year"] or self.default
