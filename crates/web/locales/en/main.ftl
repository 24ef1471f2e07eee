# campusdesk web UI: English, the fallback of every other catalogue.
# Every message here must also be in it/main.ftl and de/main.ftl (a unit test checks).

## Dates and numbers

# A time on a page: $day and $year as digits, $month 1-12, $time as 14:05.
datetime = { $day } { $month ->
        [1] Jan
        [2] Feb
        [3] Mar
        [4] Apr
        [5] May
        [6] Jun
        [7] Jul
        [8] Aug
        [9] Sep
        [10] Oct
        [11] Nov
       *[12] Dec
    } { $year }, { $time }
tickets-count = { $count ->
        [one] { $count } ticket
       *[other] { $count } tickets
    }

## Roles

role-user = Campus user
role-staff = Helpdesk staff

## Typed text that was refused ($field: title, description, message, name)

text-field = { $field ->
        [title] The title
        [description] The description
        [message] The message
        [name] The name
       *[other] The text
    }
text-empty = { text-field } must not be empty.
text-too-long = { text-field } is { $len } characters long; at most { $max } are allowed.
text-control = { text-field } contains a control character that cannot be stored.

## Around every page (base.html)

skip-to-content = Skip to the content
brand-sub = Campus helpdesk
menu-label = Main
menu-tickets = Tickets
menu-new-ticket = Report a problem
menu-dashboard = Dashboard
menu-import = Import
whoami-label = You are here as
whoami-switch = Switch role
footer-no-login = campusdesk has no login, by design: you declare your role on the start page, and the helpdesk trusts it.
footer-time-zone = Times are shown in { $zone } time ({ $abbr }).
footer-appearance = Appearance:
appearance-auto = Match this device
appearance-light = Light
appearance-dark = Dark
appearance-unknown = Choose an appearance with one of the buttons: match this device, light or dark.
footer-language = Language:
language-unknown = Choose a language with one of the buttons: English, Italiano or Deutsch.

## The start page (entry/index.html)

entry-title = Welcome
entry-heading = Campus helpdesk
entry-lead = Report a broken lift, a network outage or a problem with a campus service, and follow it until it is fixed.
entry-left = You have left. Choose a role to come back in.
entry-no-login = There is no login, by design.
entry-no-login-text = You simply say who you are: a campus user who reports problems, or helpdesk staff who handle them. Nothing checks this choice, and you can switch at any time.
entry-current = You are currently here as
entry-current-named = named
entry-continue = Continue to the tickets
entry-forget = Forget my role
entry-come-in-as = Come in as
entry-user-text = Students, lecturers and employees: report problems and follow your tickets.
entry-staff-text = Triage all tickets, start work, close them, and see the dashboard.
entry-name = Display name
entry-optional = (optional)
entry-name-hint = Shown next to your messages. Up to 60 characters.
entry-enter = Enter
entry-role-missing = Choose how you come in: as a campus user or as helpdesk staff.
entry-too-often = Your role was changed too often from your network address, so nothing was changed this time. Please wait { $seconds ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    } and choose again.

## The reporter's private page (reporter/show.html)

reporter-title = Your ticket #{ $id }
reporter-closed = This ticket is closed.
reporter-closed-since = This ticket is closed, since
reporter-closed-text = The helpdesk considers the problem resolved; their messages below say how. The ticket takes no more replies.
reporter-report-again = If the problem is back, report it again.
fact-status = Status
fact-category = Category
fact-reported = Reported
fact-modified = Last modified
fact-closed = Closed
fact-description = Description
thread-heading = Messages
reporter-no-messages = No messages yet. The helpdesk's replies appear here.
reporter-reply-label = Reply to the helpdesk
reporter-send = Send reply
reporter-link-heading = Your private link
reporter-link-label = Private link to this ticket
reporter-link-hint = This page is yours: it opens from any device, without a role or login, even after the ticket is closed. Anyone holding the link can read the ticket and reply, so share it only with people you trust.
reporter-unknown-link = There is no ticket at this private link. Check that the whole link was copied.
reporter-reply-posted = Your reply is posted. The helpdesk sees it under the ticket.

## Stopping e-mails (unsubscribe.html)

unsubscribe-title = E-mail updates
unsubscribe-done = Done: you will get no more e-mails about ticket #{ $id }.
unsubscribe-unknown = This unsubscribe link is not known. Check that you opened the whole link from the e-mail.
unsubscribe-ask = Stop the e-mails about this ticket? You can still open the ticket from the link in the e-mails you got.
unsubscribe-button = Stop e-mails about this ticket

## Importing tickets (imports/*.html)

import-title = Import tickets
import-lead = Load tickets from another helpdesk or a spreadsheet, as a CSV file of up to { $limit } MiB.
import-file = CSV file
import-columns = The first row names the columns, in this order:
import-columns-more = optionally followed by category and thread (the user manual describes each). A ticket with an empty category gets one from its text.
import-checked-first = Every row is checked first. If any row is wrong, nothing is imported and the page names the row; if all are right, all are imported together.
import-button = Import
cancel = Cancel
import-job-title = Import { $id }
import-job-lead = A file of { $bytes } bytes, sent
import-progress = Import progress
import-total = Tickets in the file
import-not-read = not read yet
import-rows-checked = Rows checked
import-saved = Tickets saved
import-refreshing = This page updates itself every second until the import ends. You can leave it: the import goes on, and this page shows how it ended when you come back.
import-done = { $count ->
        [one] { $count } ticket was imported.
       *[other] { $count } tickets were imported.
    }
import-first = The first { $count } of them:
import-new = The new tickets:
import-to-list = Go to the ticket list
import-correct = Correct the file and import it again: as none of its tickets were stored, none will be there twice.
import-again = Import a file
import-state-queued = Waiting for another import to finish
import-state-validating = Checking rows
import-state-writing = Saving the tickets
import-state-done = Imported
import-state-failed = Not imported
import-staff-only = Importing tickets is for helpdesk staff. You are here as a campus user; switch role on the start page if you work at the helpdesk.
import-upload-unreadable = The upload could not be read ({ $reason }). Please choose the file again.
import-file-unreadable = The file could not be read ({ $reason }). Please choose it again.
import-no-file = Choose a CSV file to import: no file, or an empty one, was sent.
import-choose-again = { $reason } Please choose the file again.
