"""Roles and what each may do."""

import enum


class Role(enum.StrEnum):
    """A user's role, instance-wide (admin, staff, facilitator) or in an organization (respondent)."""

    ADMIN = "admin"
    STAFF = "staff"
    FACILITATOR = "facilitator"
    RESPONDENT = "respondent"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def rank(self) -> int:
        return {"respondent": 0, "facilitator": 1, "staff": 2, "admin": 3}[self.value]

    def can_administer(self) -> bool:
        """Manage users, roles and instance settings."""
        return self is Role.ADMIN

    def can_manage_organizations(self) -> bool:
        return self in (Role.ADMIN, Role.STAFF)

    def can_invite(self) -> bool:
        return self in (Role.ADMIN, Role.STAFF)

    def can_manage_consultations(self) -> bool:
        return self in (Role.ADMIN, Role.STAFF)

    def can_view_consultation_dashboard(self) -> bool:
        return self in (Role.ADMIN, Role.STAFF, Role.FACILITATOR)

    def can_build_surveys(self) -> bool:
        return self in (Role.ADMIN, Role.STAFF)

    def can_view_results(self) -> bool:
        return self in (Role.ADMIN, Role.STAFF)

    def can_run_hearings(self) -> bool:
        return self in (Role.ADMIN, Role.STAFF, Role.FACILITATOR)

    def can_moderate_testimony(self) -> bool:
        return self in (Role.ADMIN, Role.STAFF)

    def can_read_confidential(self) -> bool:
        return self in (Role.ADMIN, Role.STAFF)

    def can_code(self) -> bool:
        return self in (Role.ADMIN, Role.STAFF)

    def can_manage_codebook(self) -> bool:
        return self in (Role.ADMIN, Role.STAFF)

    def can_write_reports(self) -> bool:
        return self in (Role.ADMIN, Role.STAFF)

    def can_view_audit_log(self) -> bool:
        return self in (Role.ADMIN, Role.STAFF)

    def can_respond(self) -> bool:
        return self is Role.RESPONDENT
