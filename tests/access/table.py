"""Who may do what: ONE table, every URL pattern of the project × every persona.

A row is `pattern  method  arguments | one outcome per persona`. The pattern is the URL name
(`namespace:name`; `#variant` for a second object of the same pattern); arguments are names of objects in
the shared world (tests/access/world.py), literals, `?key=object` query parameters or `=/literal/path`.

Methods: GET; GET* (a read of private files or people's data: must write an audit event); POST (with the
row's data below, inside a transaction rolled back after the request); API (GET with the persona's own
Bearer token and no session; anonymous sends none).

Outcomes:
  ok    200 (a POST: 200 and nothing written)     done  a POST that wrote its change (an audit event), 2xx/3xx
  302   a redirect that is not the login page      L     302 to the login page
  404   outside the user's scope (never 403 for an object the user may not see)
  403   the object is in scope but the user may not do this   405 wrong method   400/401/410 as said
Macros: @ok = ok for all; @user = L, then ok for everyone logged in; @405 = L, then 405 (login first);
@405! = 405 for everyone (no login needed).

Personas (columns):
  anon  anonymous                  smeA  SME member of company A (大阪)   smeB  SME member of company B (東京)
  expE  expert E (company A's cases)  expF  another expert              crdX/chfX  coordinator/chief of centre X (大阪)
  crdY/chfY  coordinator/chief of centre Y (東京)  dskX  online-desk consultant at X   advK 経営指導員 of 商工会 K (大阪)
  secr  secretariat   burR  bureau of region R (近畿, X's)   burS  bureau of region S (関東)   hq  HQ   admin  administrator

Cells marked in the comments as `BUG` are the correct expectation for behaviour that is wrong today.
"""

import datetime

from tests.visits.builders import jpeg_upload, pdf_upload
from visits import codes

PERSONAS = ["anon", "smeA", "smeB", "expE", "expF", "crdX", "chfX", "crdY", "chfY", "dskX", "advK", "secr", "burR", "burS",
            "hq", "admin"]

# Patterns with no row: not ours to test here.
EXCLUDED = {
    "set_language",  # Django's language switch (tested in tests/core/test_i18n.py)
}
EXCLUDED_PREFIXES = ("admin/",)  # Django admin, behind OTPAdminSite

TABLE = """
# pattern                              method args                             | anon  smeA  smeB  expE  expF  crdX  chfX  crdY  chfY  dskX  advK  secr  burR  burS  hq    admin
# ---- core ------------------------------------------------------------------------------------------------------------------------------------------------------------------------
core:index                             GET    -                                | @ok
core:audit_log                         GET    -                                | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   404   ok
core:healthz                           GET    -                                | @ok
core:hello                             GET    -                                | @ok
# ---- accounts --------------------------------------------------------------------------------------------------------------------------------------------------------------------
accounts:signup                        GET    -                                | @ok
accounts:signup_kind                   GET    expert                           | @ok
accounts:resend_verification           GET    -                                | @405
accounts:resend_verification           POST   -                                | L     302   302   302   302   302   302   302   302   302   302   302   302   302   302   302
accounts:verify_email                  GET    verify_token                     | L     302   302   302   302   302   302   302   302   302   302   302   302   302   302   302
accounts:login                         GET    -                                | @ok
accounts:logout                        GET    -                                | @405!
accounts:logout                        POST   -                                | 302   302   302   302   302   302   302   302   302   302   302   302   302   302   302   302
accounts:otp_setup                     GET    -                                | @user
accounts:otp_verify                    GET    -                                | @user
accounts:home                          GET    -                                | @user
accounts:profile                       GET    -                                | @user
accounts:change_email                  GET    -                                | @405
accounts:change_email                  POST   -                                | L     done  done  done  done  done  done  done  done  done  done  done  done  done  done  done
accounts:approvals                     GET    -                                | L     404   404   404   404   404   ok    404   ok    404   404   404   404   404   404   ok
accounts:decide_grant                  GET    grant_pending                    | @405
accounts:decide_grant                  POST   grant_pending                    | L     404   404   404   404   404   done  404   404   404   404   404   404   404   404   done
accounts:password_reset                GET    -                                | @ok
accounts:password_reset_done           GET    -                                | @ok
accounts:password_reset_confirm        GET    reset_uid,reset_token            | 302   302   302   302   302   302   302   302   302   302   302   302   302   302   302   302
accounts:password_reset_complete       GET    -                                | @ok
accounts:password_change               GET    -                                | @user
# ---- companies -------------------------------------------------------------------------------------------------------------------------------------------------------------------
companies:list                         GET    -                                | @user
companies:new                          GET    -                                | @user
companies:detail                       GET    company_a                        | L     ok    404   404   404   ok    ok    404   404   404   404   ok    ok    404   ok    ok
companies:detail#referred              GET    company_b                        | L     404   ok    404   404   ok    ok    ok    ok    404   404   ok    404   ok    ok    ok
companies:edit                         GET    company_a                        | L     ok    404   404   404   404   404   404   404   404   404   404   404   404   404   404
companies:invite                       GET    company_a                        | @405
companies:invite                       POST   company_a                        | L     done  404   404   404   404   404   404   404   404   404   404   404   404   404   404
companies:invitation_accept            GET    invitation.token                 | @user
companies:invitation_accept            POST   invitation.token                 | L     400   done  400   400   400   400   400   400   400   400   400   400   400   400   400
# ---- directory -------------------------------------------------------------------------------------------------------------------------------------------------------------------
directory:expert_profile_edit          GET    -                                | @user
directory:bank_account_edit            GET    -                                | L     302   302   ok    ok    302   302   302   302   302   302   302   302   302   302   302
directory:expert_photo                 GET    expert_e                         | @ok
directory:expert_photo#pending         GET    expert_pending                   | 404   404   404   404   404   404   404   404   404   404   404   ok    404   404   ok    ok
directory:expert_search                GET    -                                | @ok
directory:expert_detail                GET    expert_e                         | @ok
directory:expert_detail#pending        GET    expert_pending                   | 404   404   404   404   404   404   404   404   404   404   404   404   404   404   404   404
directory:recommend                    GET    -                                | L     404   404   404   404   ok    ok    ok    ok    404   ok    ok    404   404   404   404
directory:org_list                     GET    -                                | @ok
directory:org_detail                   GET    org_x                            | @ok
directory:review_list                  GET    -                                | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   404   ok
directory:review_detail                GET*   expert_e                         | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   404   ok
directory:verify_qualification         GET    expert_e,expert_qualification    | @405
directory:verify_qualification         POST   expert_e,expert_qualification    | L     404   404   404   404   404   404   404   404   404   404   done  404   404   404   done
# ---- intake ----------------------------------------------------------------------------------------------------------------------------------------------------------------------
intake:mine                            GET    -                                | @user
intake:inbox                           GET    -                                | L     404   404   404   404   ok    ok    ok    ok    404   ok    404   404   404   404   404
intake:ask                             GET    expert_e                         | L     ok    ok    302   302   302   302   302   302   302   302   302   302   302   302   302
intake:detail                          GET    expert_request                   | L     ok    404   404   404   ok    ok    404   404   404   404   ok    ok    404   ok    ok
intake:accept                          GET    expert_request                   | @405
intake:accept                          POST   expert_request                   | L     403   404   404   404   done  done  404   404   404   404   403   403   404   403   403
intake:decline                         GET    expert_request                   | @405
intake:decline                         POST   expert_request                   | L     403   404   404   404   done  done  404   404   404   404   403   403   404   403   403
intake:withdraw                        GET    expert_request                   | @405
intake:withdraw                        POST   expert_request                   | L     done  404   404   404   403   403   404   404   404   404   403   403   404   403   403
# ---- programme -------------------------------------------------------------------------------------------------------------------------------------------------------------------
programme:year_list                    GET    -                                | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   404   ok
programme:year_edit                    GET    fy                               | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   404   ok
# ---- consultations ---------------------------------------------------------------------------------------------------------------------------------------------------------------
consultations:list                     GET    -                                | @user
consultations:new                      GET    -                                | L     404   404   404   404   ok    ok    ok    ok    404   ok    404   404   404   404   404
consultations:detail                   GET    consultation                     | L     ok    404   404   404   ok    ok    404   404   404   404   ok    ok    404   ok    ok
consultations:detail#referred          GET    consultation_y                   | L     404   ok    404   404   ok    ok    ok    ok    404   404   ok    404   ok    ok    ok
# The face photo: those involved and the secretariat (SPEC §8); the bureau and HQ read the record without it.
consultations:photo                    GET*   consultation                     | L     ok    404   404   404   ok    ok    404   404   404   404   ok    404   404   404   ok
# The desk consultant who held the session opens the consultation record they wrote (it names them as staff).
consultations:detail#desk              GET    desk_consultation                | L     ok    404   404   404   ok    ok    404   404   ok    404   ok    ok    404   ok    ok
consultations:photo_upload             GET    consultation                     | @405
consultations:photo_upload             POST   consultation                     | L     404   404   404   404   done  done  404   404   404   404   404   404   404   404   404
consultations:referral_accept          GET    referral                         | @405
consultations:referral_accept          POST   referral                         | L     404   404   404   404   done  done  404   404   404   404   404   404   404   404   404
consultations:referral_close           GET    referral                         | @405
consultations:referral_close           POST   referral                         | L     404   404   404   404   done  done  404   404   404   404   404   404   404   404   404
# ---- dispatch (company A, centre X, expert E) ------------------------------------------------------------------------------------------------------------------------------------
dispatch:list                          GET    -                                | @user
dispatch:wallet                        GET    -                                | L     ok    ok    404   404   404   404   404   404   404   404   404   404   404   404   404
dispatch:new                           GET    ?company=company_a               | L     404   404   404   404   ok    ok    404   404   404   404   404   404   404   404   404
dispatch:detail                        GET    case_draft                       | L     ok    404   404   404   ok    ok    404   404   404   404   ok    ok    404   ok    ok
dispatch:detail#scheduled              GET    case_scheduled                   | L     ok    404   ok    404   ok    ok    404   404   404   404   ok    ok    404   ok    ok
# A draft cancelled before approval never reached the expert named in it: still hidden from them.
dispatch:detail#cancelled-draft        GET    case_cancelled_draft             | L     ok    404   404   404   ok    ok    404   404   404   404   ok    ok    404   ok    ok
dispatch:edit                          GET    case_draft                       | L     404   404   404   404   ok    ok    404   404   404   404   404   404   404   404   404
dispatch:apply                         GET    case_draft                       | @405
dispatch:apply                         POST   case_draft                       | L     403   404   404   404   done  done  404   404   404   404   403   403   404   403   403
dispatch:approve                       GET    case_applied                     | @405
dispatch:approve                       POST   case_applied                     | L     403   404   404   404   403   403   404   404   404   404   done  403   404   403   done
dispatch:return                        GET    case_applied                     | @405
dispatch:return                        POST   case_applied                     | L     403   404   404   404   403   403   404   404   404   404   done  403   404   403   done
dispatch:accept                        GET    case_approved                    | @405
dispatch:accept                        POST   case_approved                    | L     403   404   done  404   403   403   404   404   404   404   403   403   404   403   403
dispatch:decline                       GET    case_approved                    | @405
dispatch:decline                       POST   case_approved                    | L     403   404   done  404   403   403   404   404   404   404   403   403   404   403   403
dispatch:cancel                        GET    case_scheduled                   | @405
dispatch:cancel                        POST   case_scheduled                   | L     403   404   403   404   done  done  404   404   404   404   done  403   404   403   done
dispatch:no_show                       GET    case_scheduled                   | @405
dispatch:no_show                       POST   case_scheduled                   | L     403   404   403   404   done  done  404   404   404   404   done  403   404   403   done
dispatch:reschedule                    GET    case_scheduled                   | @405
dispatch:reschedule                    POST   case_scheduled                   | L     403   404   403   404   done  done  404   404   404   404   done  403   404   403   done
# ---- visits: the day of support and the evidence (photos, consent, declaration) --------------------------------------------------------------------------------------------------
visits:evidence_list                   GET    -                                | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   404   ok
visits:rules                           GET    -                                | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   404   ok
visits:rules_year                      GET    fy                               | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   404   ok
visits:checkin                         GET    case_scheduled                   | L     ok    404   ok    404   ok    ok    404   404   404   404   ok    404   404   404   ok
# The start is reported by the SME alone, with the code the expert shows (SPEC §4.4): the other parties are refused.
visits:checkin#code                    POST   case_scheduled                   | L     done  404   ok    404   ok    ok    404   404   404   404   ok    404   404   404   ok
visits:code                            GET    case_scheduled                   | L     404   404   ok    404   404   404   404   404   404   404   404   404   404   404   404
visits:photo_add                       GET    case_scheduled                   | @405
visits:photo_add                       POST   case_scheduled                   | L     done  404   done  404   done  done  404   404   404   404   done  404   404   404   done
visits:consent_add                     GET    case_scheduled                   | @405
visits:consent_add                     POST   case_scheduled                   | L     302   404   404   404   302   302   404   404   404   404   302   404   404   404   302
visits:consent_post                    GET    case_scheduled                   | @405
visits:consent_post                    POST   case_scheduled                   | L     404   404   404   404   404   404   404   404   404   404   done  404   404   404   done
visits:declaration_pdf                 GET*   case_certified                   | L     ok    404   ok    404   ok    ok    404   404   404   404   ok    404   404   404   ok
visits:declaration_add                 GET    case_certified                   | @405
visits:declaration_add                 POST   case_certified                   | L     done  404   done  404   done  done  404   404   404   404   done  404   404   404   done
visits:evidence                        GET    case_certified                   | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   404   ok
visits:verify                          GET    case_certified                   | @405
visits:verify                          POST   case_certified                   | L     404   404   404   404   404   404   404   404   404   404   302   404   404   404   302
visits:outside                         GET    case_certified                   | @405
visits:outside                         POST   case_certified                   | L     404   404   404   404   404   404   404   404   404   404   302   404   404   404   302
visits:photo                           GET*   photo                            | L     ok    404   ok    404   ok    ok    404   404   404   404   ok    404   404   404   ok
visits:photo_review                    GET    photo                            | @405
visits:photo_review                    POST   photo                            | L     404   404   404   404   404   404   404   404   404   404   done  404   404   404   done
visits:consent                         GET*   consent                          | L     ok    404   404   404   ok    ok    404   404   404   404   ok    404   404   404   ok
visits:consent_reject                  GET    consent                          | @405
visits:consent_reject                  POST   consent                          | L     404   404   404   404   404   404   404   404   404   404   done  404   404   404   done
visits:declaration                     GET*   declaration                      | L     ok    404   ok    404   ok    ok    404   404   404   404   ok    404   404   404   ok
visits:declaration_review              GET    declaration                      | @405
visits:declaration_review              POST   declaration                      | L     404   404   404   404   404   404   404   404   404   404   done  404   404   404   done
visits:report_review                   GET    time_report                      | @405
visits:report_review                   POST   time_report                      | L     404   404   404   404   404   404   404   404   404   404   done  404   404   404   done
# ---- reports: the expert's report and the SME's certification -------------------------------------------------------------------------------------------------------------------
reports:report                         GET    case_reported                    | L     404   404   ok    404   404   404   404   404   404   404   404   404   404   404   404
reports:certify                        GET    case_reported                    | L     ok    404   404   404   404   404   404   404   404   404   404   404   404   404   404
reports:dispute                        GET    case_reported                    | @405
reports:dispute                        POST   case_reported                    | L     done  404   404   404   404   404   404   404   404   404   404   404   404   404   404
reports:reissue                        GET    case_reported                    | @405
reports:reissue                        POST   case_reported                    | L     403   404   403   404   done  done  404   404   404   404   done  403   404   403   done
reports:disputes                       GET    -                                | L     404   404   404   404   ok    ok    ok    ok    404   ok    ok    404   404   404   ok
reports:certify_link                   GET    case_reported,certify_token      | @ok
reports:certify_link#other-case        GET    case_certified,certify_token     | 404   404   404   404   404   404   404   404   404   404   404   404   404   404   404   404
reports:dispute_link                   GET    case_reported,certify_token      | @405!
reports:dispute_link                   POST   case_reported,certify_token      | done  done  done  done  done  done  done  done  done  done  done  done  done  done  done  done
# ---- payments (the secretariat pays; the expert sees their own statements) -------------------------------------------------------------------------------------------------------
payments:batch_list                    GET    -                                | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   404   ok
payments:batch_new                     GET    -                                | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   404   ok
payments:batch_detail                  GET    batch                            | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   404   ok
payments:batch_export                  GET    batch                            | @405
payments:batch_export                  POST   batch                            | L     404   404   404   404   404   404   404   404   404   404   done  404   404   404   done
payments:batch_paid                    GET    batch                            | @405
payments:batch_paid                    POST   batch                            | L     404   404   404   404   404   404   404   404   404   404   302   404   404   404   302
payments:batch_cancel                  GET    batch                            | @405
payments:batch_cancel                  POST   batch                            | L     404   404   404   404   404   404   404   404   404   404   done  404   404   404   done
payments:remittance_detail             GET    remittance                       | L     404   404   ok    404   404   404   404   404   404   404   ok    404   404   404   ok
payments:remittance_pdf                GET*   remittance                       | L     404   404   ok    404   404   404   404   404   404   404   ok    404   404   404   ok
payments:mine                          GET    -                                | L     404   404   ok    ok    404   404   404   404   404   404   404   404   404   404   404
payments:waiting                       GET    -                                | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   404   ok
payments:flag_list                     GET    -                                | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   404   ok
payments:flag_decide                   GET    flag                             | @405
payments:flag_decide                   POST   flag                             | L     404   404   404   404   404   404   404   404   404   404   done  404   404   404   done
payments:settings                      GET    -                                | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   404   ok
# ---- desk: the online desk of centre X (chief X administers it, dskX staffs it) -------------------------------------------------------------------------------------------------
desk:index                             GET    -                                | @ok
desk:open                              GET    -                                | L     404   404   404   404   404   404   404   ok    404   404   404   404   404   404   ok
desk:detail                            GET    desk                             | @ok
desk:settings                          GET    desk                             | L     404   404   404   404   404   ok    404   404   404   404   404   404   404   404   ok
desk:closure_add                       GET    desk                             | @405
desk:closure_add                       POST   desk                             | L     404   404   404   404   404   done  404   404   404   404   404   404   404   404   done
desk:closure_delete                    GET    closure                          | @405
desk:closure_delete                    POST   closure                          | L     404   404   404   404   404   done  404   404   404   404   404   404   404   404   done
desk:roster                            GET    desk                             | L     404   404   404   404   ok    ok    404   404   ok    404   404   404   404   404   ok
desk:shift_add                         GET    desk                             | @405
desk:shift_add                         POST   desk                             | L     404   404   404   404   403   403   404   404   done  404   404   404   404   404   403
desk:shift_withdraw                    GET    shift_free                       | @405
desk:shift_withdraw                    POST   shift_free                       | L     404   404   404   404   404   done  404   404   done  404   404   404   404   404   done
desk:slots                             GET    desk                             | @user
desk:book                              GET    desk,?start=slot_free            | L     ok    ok    403   403   403   403   403   403   403   ok    403   403   403   403   403
desk:walk_in                           GET    desk                             | L     404   404   404   404   ok    ok    404   404   ok    404   404   404   404   404   404
desk:reports                           GET    desk                             | L     404   404   404   404   ok    ok    404   404   404   404   404   404   404   404   ok
desk:export_csv                        GET    desk                             | L     404   404   404   404   ok    ok    404   404   404   404   404   404   404   404   ok
desk:export_xlsx                       GET    desk                             | L     404   404   404   404   ok    ok    404   404   404   404   404   404   404   404   ok
desk:bookings                          GET    -                                | @user
desk:booking                           GET    booking                          | L     ok    404   404   404   ok    ok    404   404   ok    ok    404   404   404   404   ok
desk:ics                               GET    booking                          | L     ok    404   404   404   ok    ok    404   404   ok    ok    404   404   404   404   ok
desk:cancel                            GET    booking                          | @405
# The SME booked this itself; its 商工会 K is recorded only for the statistics, so K's adviser may not cancel or move it.
desk:cancel                            POST   booking                          | L     done  404   404   404   done  done  404   404   done  404   404   404   404   404   done
desk:reschedule                        GET    booking                          | L     ok    404   404   404   ok    ok    404   404   ok    404   404   404   404   404   ok
desk:no_show                           GET    booking_held                     | @405
desk:no_show                           POST   booking_held                     | L     404   404   404   404   done  done  404   404   done  404   404   404   404   404   404
desk:record                            GET    booking_held                     | L     404   404   404   404   ok    ok    404   404   ok    404   404   404   404   404   404
desk:manage                            GET    booking_token                    | @ok
desk:manage#forged                     GET    Mg:forged:token                  | 404   404   404   404   404   404   404   404   404   404   404   404   404   404   404   404
desk:manage_cancel                     GET    booking_token                    | @405!
desk:manage_cancel                     POST   booking_token                    | done  done  done  done  done  done  done  done  done  done  done  done  done  done  done  done
desk:manage_reschedule                 GET    booking_token                    | @ok
desk:members                           GET    -                                | L     404   404   404   404   404   404   404   404   404   ok    404   404   404   404   404
desk:member_remove                     GET    member                           | @405
desk:member_remove                     POST   member                           | L     404   404   404   404   404   404   404   404   404   done  404   404   404   404   404
# ---- governance: centre X's plan and dashboards (region R = 近畿) ---------------------------------------------------------------------------------------------------------------
governance:index                       GET    -                                | L     404   404   404   404   302   302   302   302   404   404   302   302   302   302   302
governance:nation                      GET    -                                | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   ok    ok
governance:nation_export               GET    monthly,csv                      | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   ok    ok
governance:region                      GET    kinki                            | L     404   404   404   404   404   404   404   404   404   404   ok    ok    404   ok    ok
governance:region#other                GET    kanto                            | L     404   404   404   404   404   404   404   404   404   404   ok    404   ok    ok    ok
governance:region_export               GET    kinki,monthly,csv                | L     404   404   404   404   404   404   404   404   404   404   ok    ok    404   ok    ok
governance:centre                      GET    org_x                            | L     404   404   404   404   ok    ok    404   404   404   404   ok    ok    404   ok    ok
governance:centre_export               GET    org_x,monthly,csv                | L     404   404   404   404   ok    ok    404   404   404   404   ok    ok    404   ok    ok
governance:plan                        GET    org_x,fy                         | L     404   404   404   404   ok    ok    404   404   404   404   ok    ok    404   ok    ok
governance:plan#edit                   POST   org_x,fy                         | L     404   404   404   404   404   done  404   404   404   404   404   404   404   404   404
governance:focus_add                   GET    org_x,fy                         | @405
governance:focus_add                   POST   org_x,fy                         | L     404   404   404   404   302   done  404   404   404   404   302   302   404   302   302
governance:focus_remove                GET    org_x,fy,focus                   | @405
governance:focus_remove                POST   org_x,fy,focus                   | L     404   404   404   404   302   done  404   404   404   404   302   302   404   302   302
governance:plan_submit                 GET    org_x,fy                         | @405
governance:plan_submit                 POST   org_x,fy                         | L     404   404   404   404   302   302   404   404   404   404   302   302   404   302   302
governance:plan_confirm                GET    org_x,fy                         | @405
governance:plan_confirm                POST   org_x,fy                         | L     404   404   404   404   302   302   404   404   404   404   302   done  404   302   done
governance:plan_return                 GET    org_x,fy                         | @405
governance:plan_return                 POST   org_x,fy                         | L     404   404   404   404   302   302   404   404   404   404   302   done  404   302   done
governance:network                     GET    org_x                            | L     404   404   404   404   ok    ok    404   404   404   404   ok    ok    404   ok    ok
governance:network#log                 POST   org_x                            | L     404   404   404   404   done  done  404   404   404   404   404   404   404   404   404
governance:visit_new                   GET    org_x                            | L     404   404   404   404   404   404   404   404   404   404   404   404   404   ok    ok
governance:hearing                     GET    org_x,fy                         | L     404   404   404   404   404   404   404   404   404   404   404   404   404   ok    ok
governance:rating                      GET    org_x,fy                         | L     404   404   404   404   ok    ok    404   404   404   404   ok    ok    404   ok    ok
governance:rating#budget               POST   org_x,fy                         | L     404   404   404   404   404   404   404   404   404   404   404   404   404   done  done
governance:rating_compute              GET    org_x,fy                         | @405
governance:rating_compute              POST   org_x,fy                         | L     404   404   404   404   404   404   404   404   404   404   404   404   404   done  done
governance:follow_up_done              GET    follow_up_item                   | @405
governance:follow_up_done              POST   follow_up_item                   | L     404   404   404   404   done  done  404   404   404   404   302   302   404   done  done
governance:policy                      GET    fy                               | L     404   404   404   404   ok    ok    ok    ok    404   404   ok    ok    ok    ok    ok
governance:policy#edit                 POST   fy                               | L     404   404   404   404   404   404   404   404   404   404   404   404   404   done  done
governance:settings                    GET    fy                               | L     404   404   404   404   404   404   404   404   404   404   404   404   404   ok    ok
governance:trainings                   GET    -                                | L     404   404   404   404   ok    ok    ok    ok    404   404   ok    ok    ok    ok    ok
governance:trainings#create            POST   -                                | L     404   404   404   404   404   404   404   404   404   404   404   404   404   done  done
governance:training                    GET    training                         | L     404   404   404   404   ok    ok    ok    ok    404   404   ok    ok    ok    ok    ok
governance:training#attendance         POST   training                         | L     404   404   404   404   404   done  404   ok    404   404   404   404   404   404   404
governance:qualifications              GET    -                                | L     404   404   404   404   ok    ok    ok    ok    404   ok    404   404   404   404   404
governance:evaluation                  GET    -                                | L     404   404   404   404   404   404   404   404   404   ok    404   404   404   404   404
governance:audit_list                  GET    -                                | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   ok    ok
governance:audit                       GET    audit_sample                     | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   ok    ok
governance:audit_export                GET    audit_sample,csv                 | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   ok    ok
governance:audit_check                 GET    audit_item                       | @405
governance:audit_check                 POST   audit_item                       | L     404   404   404   404   404   404   404   404   404   404   done  404   404   done  done
governance:survey                      GET    survey_token                     | @ok
governance:survey#forged               GET    not-a-survey-token               | 410   410   410   410   410   410   410   410   410   410   410   410   410   410   410   410
governance:survey#answer               POST   survey_token                     | done  done  done  done  done  done  done  done  done  done  done  done  done  done  done  done
governance:follow_up                   GET    outcome_token                    | @ok
governance:follow_up#answer            POST   outcome_token                    | done  done  done  done  done  done  done  done  done  done  done  done  done  done  done  done
# ---- notifications: the secretariat's inbox of received mail ---------------------------------------------------------------------------------------------------------------------
notifications:inbox                    GET    -                                | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   404   ok
notifications:rules                    GET    -                                | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   404   ok
notifications:mail_detail              GET    mail                             | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   404   ok
notifications:mail_match               GET    mail                             | @405
notifications:mail_match               POST   mail                             | L     404   404   404   404   404   404   404   404   404   404   done  404   404   404   done
notifications:mail_reprocess           GET    mail                             | @405
notifications:mail_reprocess           POST   mail                             | L     404   404   404   404   404   404   404   404   404   404   done  404   404   404   done
notifications:mail_close               GET    mail                             | @405
notifications:mail_close               POST   mail                             | L     404   404   404   404   404   404   404   404   404   404   done  404   404   404   done
notifications:mail_attachment          GET*   mail,0                           | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   404   ok
notifications:mail_raw                 GET*   mail                             | L     404   404   404   404   404   404   404   404   404   404   ok    404   404   404   ok
# ---- api: token pages, and the JSON API called with each persona's own Bearer token -------------------------------------------------------------------------------------------
api:tokens                             GET    -                                | @user
api:tokens#create                      POST   -                                | L     done  done  done  done  done  done  done  done  done  done  done  done  done  done  done
api:token_revoke                       GET    token_sme_a                      | @405
api:token_revoke                       POST   token_sme_a                      | L     done  404   404   404   404   404   404   404   404   404   404   404   404   404   404
api:docs                               GET    -                                | @ok
api:v1:openapi-json                    API    -                                | @ok
api:v1:api-root                        API    -                                | 404   404   404   404   404   404   404   404   404   404   404   404   404   404   404   404
api:v1:expert_search                   API    -                                | @ok
api:v1:expert_detail                   API    expert_e                         | @ok
api:v1:expert_detail#pending           API    expert_pending                   | 404   404   404   404   404   404   404   404   404   404   404   404   404   404   404   404
api:v1:organisation_search             API    -                                | @ok
api:v1:organisation_detail             API    org_x                            | @ok
api:v1:reference                       API    -                                | @ok
api:v1:me                              API    -                                | 401   ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
api:v1:case_list                       API    -                                | 401   ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
api:v1:case_detail                     API    case_scheduled                   | 401   ok    404   ok    404   ok    ok    404   404   404   404   ok    ok    404   ok    ok
api:v1:case_detail#cancelled-draft     API    case_cancelled_draft             | 401   ok    404   404   404   ok    ok    404   404   404   404   ok    ok    404   ok    ok
api:v1:case_detail#applied             API    case_applied                     | 401   ok    404   404   404   ok    ok    404   404   404   404   ok    ok    404   ok    ok
api:v1:organisation_cases              API    org_x                            | 401   404   404   404   404   ok    ok    404   404   404   404   ok    ok    404   ok    ok
api:v1:kpis                            API    -                                | 401   403   403   403   403   ok    ok    ok    ok    403   403   ok    ok    ok    ok    ok
api:^(?P<path>.*)$                     API    =/api/no/such/endpoint/          | 404   404   404   404   404   404   404   404   404   404   404   404   404   404   404   404
"""


def _day(w, days=0):
    return (w.today + datetime.timedelta(days=days)).isoformat()


# What the POST rows send (a callable gets the world; files are made fresh for each request).
POST_DATA = {
    "accounts:change_email": {"email": "new-address@example.jp"},
    "accounts:decide_grant": {"decision": "approve"},
    "companies:invite": {"email": "new-member@example.jp"},
    "directory:verify_qualification": {"verified": "1"},
    "intake:accept": lambda w: {"date": w.appointment_at.date().isoformat(), "time": "14:00", "channel": "in_person",
                                "place": "大阪府よろず支援拠点 相談室"},
    "intake:decline": {"reason": "当拠点では対応できない分野のため"},
    "intake:withdraw": {"reason": "自社で解決したため"},
    "consultations:photo_upload": lambda w: {"photo": jpeg_upload()},
    "consultations:referral_close": {"result": "取引先を紹介した"},
    "dispatch:return": {"reason": "支援内容を具体的に"},
    "dispatch:decline": {"reason": "日程が合わない"},
    "dispatch:cancel": {"reason": "事業者の都合"},
    "dispatch:no_show": {"reason": "事業者が不在だった"},
    "dispatch:reschedule": lambda w: {"day": w.reschedule_to.date().isoformat(), "start_time": "14:00", "end_time": "16:00",
                                      "place": "大阪府大阪市北区梅田1-1-1", "reason": "事業者の都合"},
    "visits:checkin#code": lambda w: {"kind": "start", "code": codes.current_code(w.case_scheduled.pk, "start")[0]},
    "visits:photo_add": lambda w: {"photo": jpeg_upload()},
    "visits:consent_add": lambda w: {"document": pdf_upload()},
    "visits:declaration_add": lambda w: {"document": pdf_upload("declaration.pdf")},
    "visits:outside": {"reason": "期限までに証憑がそろわなかった"},
    "visits:photo_review": {"decision": "accept"},
    "visits:consent_reject": {"reason": "署名がない"},
    "visits:declaration_review": {"decision": "accept"},
    "visits:report_review": {"decision": "accept"},
    "reports:dispute": {"reason": "支援時間が違う"},
    "reports:dispute_link": {"reason": "支援時間が違う"},
    "payments:batch_cancel": {"reason": "振込日を変更するため"},
    "payments:flag_decide": {"decision": "cleared", "reason": "事業者が別拠点のため問題なし"},
    "desk:closure_add": lambda w: {"date": (w.closure.date + datetime.timedelta(days=1)).isoformat(), "reason": "研修のため"},
    "desk:shift_add": lambda w: {"day": w.shift_day.isoformat(), "start": "09:30", "end": "12:30", "weeks": "1"},
    "desk:cancel": {"reason": "都合がつかなくなった"},
    "desk:manage_cancel": {"reason": "都合がつかなくなった"},
    "governance:plan#edit": {"needs_analysis": "製造業の後継者不足。", "plan_text": "事業承継の相談を増やす。",
                             "target_consultations": "120", "target_visitors": "60", "target_solved": "25",
                             "target_network": "12"},
    "governance:focus_add": lambda w: {"name": "販路開拓", "specialties": [w.specialty.pk], "target": "20"},
    "governance:plan_confirm": lambda w: {"interview_on": _day(w), "interview_notes": "目標を確認した。"},
    "governance:plan_return": {"reason": "目標の根拠を書いてください"},
    "governance:network#log": lambda w: {"held_on": _day(w), "partner_kind": "shokokai", "partner_name": "豊中市商工会",
                                         "purpose": "visit"},
    "governance:rating#budget": {"budget_change_percent": "5.0", "budget_note": "実績が目標を上回った"},
    "governance:follow_up_done": {"result": "連絡会を開いた"},
    "governance:policy#edit": {"title": "活動方針", "body": "相談対応の質を高める。"},
    "governance:trainings#create": lambda w: {"kind": "ojt", "title": "相談記録の研修", "held_on": _day(w)},
    "governance:training#attendance": lambda w: {"users": [str(w.coord_x.pk)]},
    "governance:audit_check": {"result": "ok"},
    "governance:survey#answer": {"satisfaction": "5", "usefulness": "4", "would_recommend": "yes"},
    "governance:follow_up#answer": {"problem_solved": "yes", "sales_trend": "up"},
    "notifications:mail_match": lambda w: {"case_number": str(w.case_certified.pk), "kind": "photo"},
    "notifications:mail_close": {"note": "写真は別途受領済み"},
    "api:tokens#create": {"name": "集計シート", "expiry_days": "30"},
}


class Row:
    def __init__(self, key, method, args, expected):
        self.key, self.method, self.args, self.expected = key, method, args, expected
        self.pattern = key.split("#")[0]

    @property
    def label(self):
        return f"{self.method:5} {self.key}"


def _expand(cells):
    macros = {
        "@ok": ["ok"] * 16,
        "@user": ["L"] + ["ok"] * 15,
        "@405": ["L"] + ["405"] * 15,
        "@405!": ["405"] * 16,
    }
    if len(cells) == 1 and cells[0] in macros:
        return macros[cells[0]]
    return cells


def rows():
    parsed = []
    for line in TABLE.strip().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        spec, cells = line.split("|")
        key, method, args = spec.split()
        cells = _expand(cells.split())
        assert len(cells) == len(PERSONAS), f"{key}: {len(cells)} cells"
        parsed.append(Row(key, method, args, dict(zip(PERSONAS, cells))))
    return parsed
