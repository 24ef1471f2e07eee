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
address-too-long = The e-mail address may be at most { $max } characters long.
address-malformed = “{ $address }” is not an e-mail address; write it like name@campus.example, or leave the field empty.

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

## Statuses, categories and roles on every ticket page (by slug: the domain crate stays English)

status-name = { $status ->
        [open] Open
        [active] Active
       *[closed] Closed
    }
category-name = { $category ->
        [facility] Facility management
        [it] Technical IT
       *[services] Services
    }
source-auto = set automatically
source-staff = set by staff
source-import = imported
message-role-user = Campus user
message-role-staff = Helpdesk
message-anonymous = Anonymous

## The activity log of a ticket (staff)

event-created = reported the ticket
event-created-status = reported the ticket (status { $status })
event-field = { $field ->
        [title] title
        [description] description
       *[other] { $field }
    }
event-and = {" and "}
event-edited-fields = edited the { $fields }
event-edited = edited the ticket
event-status-moved = moved it from { $from } to { $to }
event-status-set = set the status to { $to }
event-category-confirmed = confirmed the category { $to }
event-category-changed = changed the category from { $from } to { $to }
event-category-set = set the category to { $to }
event-message = posted a message
event-who-named = { $name } ({ $role ->
        [staff] helpdesk staff
       *[user] campus user
    })

## The staff's ticket page (tickets/show.html)

ticket-all = All tickets
ticket-gone = This ticket was closed or removed; it is no longer visible to campus users.
ticket-back-to-list = Back to the ticket list
ticket-number = Ticket #{ $id }
created-thanks = Thank you, your problem is reported as ticket #{ $id }.
created-link-label = Your private link to ticket #{ $id }
created-keep-link = Keep this link
created-keep-link-text = (copy it, bookmark it or write it down): it opens your ticket from any device, with the helpdesk's replies and the outcome, even after the ticket is closed. This browser also lists it under "Reported from this browser" on the ticket list.
created-open-private = Open your private page
created-filed-under = It was filed under
created-confidence = with { $confidence } confidence.
created-why = Why this category?
created-no-word = No single word decided it; the text as a whole was closest to this category.
created-words = These words in your report weighed most, strongest first:
created-no-explanation = The explanation is not available right now.
created-corrects = The helpdesk corrects the category if it is wrong.
fact-source-confidence = { $source }, { $confidence } confidence
fact-will-check = (the helpdesk will check it)
fact-deciding-words = Deciding words
fact-no-word = No single word stood out.
fact-words-label = Words that decided the category, strongest first
fact-opened = Opened
fact-reporter-email = Reporter's e-mail
fact-subscribed = (gets e-mail updates)
fact-unsubscribed = (unsubscribed)
why-staff = Set by staff.
why-import = Taken from the imported file.
ticket-no-messages = No messages yet. Ask a question or add details below.
message-write = Write a message
message-files = Photos or documents
message-post = Post message
next-step = Next step
transition-start = Start work
transition-start-hint = Marks the ticket active: the helpdesk is on it.
transition-close = Close ticket
transition-close-hint = Marks the ticket resolved. Campus users no longer see it.
close-confirm-text = Closing is final: ticket #{ $id } then takes no more messages, campus users no longer see it, and a reporter who gave an e-mail address is told.
close-confirm-button = Yes, close ticket #{ $id }
undo-heading = Closed by mistake?
undo-button = Undo closing
undo-until = Possible until
undo-until-after = : the ticket becomes active again, and the activity log records the undo.
edit-heading = Edit ticket
edit-conflict = Someone else changed this ticket while you were editing it. The ticket shows their version now; your text is kept below. Check it and save again to replace theirs.
field-title = Title
field-up-to = Up to { $max } characters.
edit-category-hint = Correct it if the automatic choice is wrong; the classifier learns from it.
edit-category-invalid = Please choose one of the three categories: facility management, technical IT or services
edit-save = Save changes
confirm-category = Confirm { $category }
confirm-category-hint = If the category is right, confirm it: it becomes set by staff and needs no more checking.
activity-heading = Activity
activity-empty = Nothing recorded yet.
flash-saved = Your changes are saved.
flash-confirmed = Category confirmed.
flash-unchanged = Nothing was different, so nothing needed saving.
flash-posted = Your message is posted.
flash-moved-active = Work has started: the ticket is now active.
flash-moved-closed = The ticket is closed.
flash-moved = The status is changed.
flash-undone = Closing undone: the ticket is active again.
flash-stale = The ticket had already moved on, so that did not apply. This is its current state.
status-staff-only = Only helpdesk staff can start work on a ticket or close it. You are here as a campus user.
status-not-possible = That status change is not possible: a ticket can only be started (made active) or closed.
undo-staff-only = Only helpdesk staff can undo the closing of a ticket. You are here as a campus user.
undo-refused = The closing was not undone: { $reason }

## The dashboard (dashboard/index.html)

dash-heading = Helpdesk dashboard
dash-lead = Live figures from the analytics service. Pick an analysis.
dash-updated = Updated at
dash-tabs-label = Analyses
dash-tab-unclosed = Unclosed tickets
dash-tab-resolution = Resolution time
dash-tab-categories = Active by category
dash-period-legend = Tickets opened in the last …
dash-amount = Number
dash-unit = Unit
# $unit: hours or days
dash-unit-name = { $unit ->
        [hours] hours
       *[days] days
    }
dash-show = Show
dash-quick = Quick picks:
dash-quick-pick = { $unit ->
        [hours] { $amount } h
       *[days] { $amount } days
    }
# "7 days" after "in the last" (Italian: with the preposition, "negli ultimi 7 giorni").
dash-period = { $amount } { $unit ->
        [hours] { $amount ->
            [one] hour
           *[other] hours
        }
       *[days] { $amount ->
            [one] day
           *[other] days
        }
    }
dash-unit-invalid = Choose hours or days as the unit.
dash-amount-empty = Enter how many { $unit } to look back, e.g. 7.
dash-amount-invalid = Enter a whole number of { $unit } from 1 to { $max }; “{ $amount }” is not one.
dash-load-again = Load the figures again
dash-unreachable-heading = Analytics unavailable
dash-unreachable = The analytics service cannot be reached right now, so no figures can be shown. Tickets are not affected; please try again in a minute.
dash-loading-heading = Figures on their way
dash-loading = The analytics service is still loading tickets; the figures appear in a moment.
# $slice: hour or day
dash-unclosed-summary = { $count } unclosed tickets were opened in the last { $period } (since { $since }): { $open } open and { $active } active. The bars show them per { $slice ->
        [hour] hour
       *[day] day
    } of opening, active at the bottom and open on top.
dash-unclosed-heading = Unclosed tickets opened in the last { $period }
dash-unclosed-caption = Unclosed tickets per { $slice ->
        [hour] hour
       *[day] day
    } of opening
dash-all = All
dash-col-opened = Opened
dash-col-unclosed = Unclosed
dash-slowest = {" "}The slowest month was { $month } with a mean of { $hours } hours.
dash-resolution-summary = Mean and median hours from opening to closing, for tickets opened from { $first } to { $last } (months in { $zone }).{ $slowest }
dash-resolution-none = No ticket has been closed yet, so there is no resolution time to show.
dash-resolution-heading = Resolution time by month of opening
dash-resolution-caption = Resolution time (from reporting to closing) by month of opening
dash-col-month = Month opened
dash-col-closed = Closed tickets
dash-col-mean = Mean (hours)
dash-col-median = Median (hours)
dash-categories-heading = Active tickets per category
dash-categories-summary = { $total } tickets are active: { $parts }.
dash-col-active = Active tickets
dash-classifier-heading = Automatic categories
dash-kept = Kept by staff
dash-accuracy-detail = { $corrected } of { $total } automatic categories were corrected by staff
dash-accuracy-none = No ticket has been categorised automatically yet
dash-corrections = Staff corrections
dash-corrections-detail = each one teaches the classifier
dash-now-right = Corrections now right
dash-of = { $part } of { $whole }
dash-now-right-detail = corrected tickets the model now files as staff did
dash-model = Model
dash-model-trained = trained on { $count } texts, { $when }
dash-learning = Learning from the latest corrections…

## The dashboard's charts (chart.rs)

# A month on a chart: $month 1-12, $year and $day as digits.
month-name = { $month ->
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
    }
month-year = { month-name } { $year }
day-month = { $day } { month-name }
chart-hours = Hours to resolve
chart-mean = Mean
chart-median = Median
# A category's name on a phone's narrow chart.
category-short = { $category ->
        [facility] Facility
        [it] IT
       *[services] Services
    }

## The ticket list (tickets/list.html)

list-title = Tickets
list-heading-staff = All tickets
list-heading-user = Open and active tickets
list-lead-staff = Every ticket on campus. Filter, search, sort, and open one to handle it.
list-lead-user = Problems reported on campus that are not resolved yet. Closed tickets are only kept by the helpdesk.
list-reported-heading = Reported from this browser
list-reported-hint = Newest first, closed ones included: each opens your private page of the ticket, with the helpdesk's replies and the outcome.
list-last-modified = last modified
list-tools-staff = Search and filters
list-tools-user = Search
list-filters-label-staff = Filter tickets
list-filters-label-user = Search tickets
list-search = Search
list-search-placeholder = Words, "a phrase" or #number
list-any-status = Any status
list-any-category = Any category
list-sort-by = Sort by
list-per-page = Per page
list-apply = Apply
list-search-button = Search
list-clear = Clear
list-go-form-label = Go to a ticket by its number
list-go-label = Go to ticket #
list-go-open = Open
# The orders of the list, by name (the sort field and its direction).
list-sort = { $sort ->
        [newest] Newest first
        [oldest] Oldest first
        [recent] Recently modified first
        [least-recent] Least recently modified first
        [status-az] Status, A to Z
        [status-za] Status, Z to A
        [category-az] Category, A to Z
       *[category-za] Category, Z to A
    }
# The table's hidden caption: the list and its order ($sort as in list-sort).
list-caption = Tickets, { $sort ->
        [newest] newest first
        [oldest] oldest first
        [recent] recently modified first
        [least-recent] least recently modified first
        [status-az] status, a to z
        [status-za] status, z to a
        [category-az] category, a to z
       *[category-za] category, z to a
    }
list-search-shorten = Shorten the search text above to see tickets.
# Followed by a link (list-show-all-link) and a full stop.
list-or = Or
list-show-all-link = show all tickets
list-refused = The tickets could not be listed this way.
list-show-all = Show all tickets
list-no-match = No tickets match these filters.
# Followed by a link (list-clear-filters) and a full stop.
list-try-other-words = Try other words or
list-clear-filters = clear the filters
list-no-more = No more tickets.
list-none-open = No open tickets right now.
# Followed by a link (menu-new-ticket) and a full stop.
list-something-broken = Something not working on campus?
list-col-ticket = Ticket
list-messages = { $count ->
        [one] { $count } message
       *[other] { $count } messages
    }
list-pages-label = Pages
list-previous = Previous
list-next = Next
list-first-page = Back to first page
list-download-csv = Download CSV
# "Page 2 of 7 · 160 tickets"; $tickets is list-total or list-total-about.
list-page-of = Page { $page } of { $pages } · { $tickets }
list-page-count = { $pages ->
        [one] { $pages } page
       *[other] { $pages } pages
    } · { $tickets }
list-total = { tickets-count }
list-total-about = about { tickets-count }
list-sort-invalid = The list cannot be sorted that way; pick an order from the list.
list-size-invalid = Pick 25, 50 or 100 tickets per page.
list-status-invalid = The status filter is not valid: choose open, active or closed.
list-category-invalid = The category filter is not valid: choose facility management, technical IT or services.
list-search-too-long = Search text can be at most { $max } characters.
list-go-not-a-number = Type a ticket number, such as 334 or #334.
list-go-no-ticket = There is no ticket #{ $id }.
list-go-not-found = Ticket #{ $id } was not found, or it is closed. Closed tickets are visible to helpdesk staff only; if you reported it, open it with its private link.
list-go-unreachable = The ticket service cannot be reached right now; please try again in a moment.

## Reporting a problem (tickets/new.html) and the files of a form

new-lead = Say what is wrong and where. The helpdesk sorts it into facility management, technical IT or services automatically.
new-title-hint = A short summary, e.g. “Lift in building B stuck on floor 3”.
new-description-hint = What happened, where, since when.
new-hint-waiting = Where the report will probably go shows here as you type.
new-email = E-mail for updates
new-email-hint = When the helpdesk answers or changes the status, you get one e-mail with a private link to your ticket. Only the helpdesk sees the address; every e-mail has a link to stop them.
new-email-off = E-mail updates are not available on this helpdesk; note your ticket's number to find it again.
new-send = Send report
# $each: "10 MiB"
files-hint = Photos (PNG or JPEG) or PDF documents: up to { $count ->
        [one] { $count } file
       *[other] { $count } files
    }, { $each } each.
files-choose-again = Your text is kept, but please choose the files again.

## Error pages (error.html)

error-code = Error { $status }
error-to-list = Go to the ticket list
error-start-page = Start page
error-not-found-heading = Not found
error-forbidden-heading = Not for this role
error-bad-request-heading = That request did not work
error-unavailable-heading = Service unavailable
# $service: tickets or analytics
error-unavailable = The { $service ->
        [analytics] analytics service
       *[tickets] ticket service
    } cannot be reached right now, so this page cannot be shown. Please try again in a minute.
error-internal-heading = Something went wrong
error-internal = This page could not be shown because of an error on our side. Please try again; if it keeps happening, tell the helpdesk.
error-no-page = There is no page at this address. It may have moved, or the link may be mistyped.
error-method-heading = Not available this way
error-method = This address cannot be used like that. Please start again from the ticket list.
error-bad-query = The address could not be read: one of its settings after the “?” has a value this page does not understand. Please go back and use the page's own links and forms.
error-form-refused-heading = Form not accepted
error-form-refused = This form was not accepted, so nothing was changed. Forms of campusdesk are accepted only when they are sent from campusdesk's own pages; a page elsewhere cannot send them for you. If you did send it from here, the page may be old: reload it and send the form again.
error-form-too-large-heading = Form too large
error-form-too-large = This form is larger than the { $limit } MiB the helpdesk accepts, so nothing was changed. Please shorten the text and send it again.

## Shared parts of pages (macros.html)

check-mark = please check
check-mark-title = The automatic category is uncertain: please check it
attachments-label = Attachments
attachment-photo-alt = Photo { $name } (open full size)
errors-heading = { $count ->
        [one] Please fix this before sending:
       *[other] Please fix these { $count } things before sending:
    }

## The category preview while typing a report (hint.rs)

hint-filed-under = This will probably be filed under: { $category } ({ $percent })
hint-unreadable = The text could not be read.
hint-empty = Type a title or a description first.
hint-unreachable = The ticket service cannot be reached right now; the category will appear after you send the report.

## Text used by the page scripts (static/*.js)

# Pages carry these for their scripts (see README.md, "Text for the page scripts"). The scripts
# fill in what only the browser knows: $used, $max and $over (numbers, written in the page's
# language by the browser), $hint and $words. These arrive as placeholders, so a message here
# cannot choose a plural form by them. forms.js shows text-empty and text-too-long (above).

# count.js: the counter under a field with a length limit, while typing.
script-count = { $used } of { $max } characters
script-count-over = { $used } of { $max } characters: { $over } too many
# Read out by screen readers only when the text goes over the limit, and when it is back within.
script-count-now-over = Over the limit of { $max } characters.
script-count-back = Within the limit of { $max } characters again.
# hint.js: the category preview on the report form. $hint: the hint-filed-under sentence.
script-hint-uncertain = { $hint }. Not sure yet: a few more details help.
# $words: the words that decided the category, strongest first, joined by commas.
script-hint-words = Deciding words: { $words }
# keys.js: the keyboard shortcuts' help, shown by pressing "?".
script-keys-title = Keyboard shortcuts
script-keys-intro = They work when you are not typing in a field. Esc closes this box.
script-key-search = Search the ticket list
script-key-next = Next ticket in the list
script-key-previous = Previous ticket in the list
script-key-open = Open the selected ticket (Enter works too)
script-key-start = Start work on this ticket
script-key-close = Close this ticket (asks to confirm first)
script-key-reply = Write a message on this ticket
script-key-help = Show these shortcuts
script-keys-done = Close
