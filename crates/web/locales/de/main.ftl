# campusdesk web UI: German. Written by the team's engineer, not yet reviewed by a native speaker.

## Dates and numbers

datetime = { $day }. { $month ->
        [1] Jan.
        [2] Feb.
        [3] März
        [4] Apr.
        [5] Mai
        [6] Juni
        [7] Juli
        [8] Aug.
        [9] Sept.
        [10] Okt.
        [11] Nov.
       *[12] Dez.
    } { $year }, { $time }
tickets-count = { $count ->
        [one] { $count } Ticket
       *[other] { $count } Tickets
    }

## Roles

role-user = Campus-Nutzer
role-staff = Helpdesk-Team

## Typed text that was refused

text-field = { $field ->
        [title] Der Titel
        [description] Die Beschreibung
        [message] Die Nachricht
        [name] Der Name
       *[other] Der Text
    }
text-empty = { text-field } darf nicht leer sein.
text-too-long = { text-field } ist { $len } Zeichen lang; erlaubt sind höchstens { $max }.
text-control = { text-field } enthält ein Steuerzeichen, das nicht gespeichert werden kann.
address-too-long = Die E-Mail-Adresse darf höchstens { $max } Zeichen lang sein.
address-malformed = „{ $address }“ ist keine E-Mail-Adresse; schreiben Sie sie wie name@campus.example, oder lassen Sie das Feld leer.

## Around every page

skip-to-content = Zum Inhalt springen
brand-sub = Campus-Helpdesk
menu-label = Hauptmenü
menu-tickets = Tickets
menu-new-ticket = Problem melden
menu-dashboard = Übersicht
menu-import = Import
whoami-label = Du bist hier als
whoami-switch = Rolle wechseln
footer-no-login = campusdesk hat bewusst keine Anmeldung: Du gibst deine Rolle auf der Startseite an, und der Helpdesk vertraut darauf.
footer-time-zone = Zeiten werden in der Zeitzone { $zone } angezeigt ({ $abbr }).
footer-appearance = Darstellung:
appearance-auto = Wie dieses Gerät
appearance-light = Hell
appearance-dark = Dunkel
appearance-unknown = Wähle eine Darstellung mit einer der Schaltflächen: wie dieses Gerät, hell oder dunkel.
footer-language = Sprache:
language-unknown = Wähle eine Sprache mit einer der Schaltflächen: English, Italiano oder Deutsch.

## The start page

entry-title = Willkommen
entry-heading = Campus-Helpdesk
entry-lead = Melde einen defekten Aufzug, einen Netzwerkausfall oder ein Problem mit einem Campus-Dienst und verfolge es, bis es behoben ist.
entry-left = Du hast dich abgemeldet. Wähle eine Rolle, um wieder hereinzukommen.
entry-no-login = Bewusst ohne Anmeldung.
entry-no-login-text = Du sagst einfach, wer du bist: ein Campus-Nutzer, der Probleme meldet, oder das Helpdesk-Team, das sie bearbeitet. Niemand prüft diese Wahl, und du kannst sie jederzeit wechseln.
entry-current = Du bist gerade hier als
entry-current-named = mit dem Namen
entry-continue = Weiter zu den Tickets
entry-forget = Meine Rolle vergessen
entry-come-in-as = Hereinkommen als
entry-user-text = Studierende, Lehrende und Beschäftigte: Probleme melden und die eigenen Tickets verfolgen.
entry-staff-text = Alle Tickets sichten, bearbeiten, schließen und die Übersicht sehen.
entry-name = Anzeigename
entry-optional = (freiwillig)
entry-name-hint = Wird neben deinen Nachrichten angezeigt. Bis zu 60 Zeichen.
entry-enter = Hereinkommen
entry-role-missing = Wähle, wie du hereinkommst: als Campus-Nutzer oder als Helpdesk-Team.
entry-too-often = Deine Rolle wurde zu oft von deiner Netzwerkadresse aus gewechselt, daher wurde diesmal nichts geändert. Bitte warte { $seconds ->
        [one] { $seconds } Sekunde
       *[other] { $seconds } Sekunden
    } und wähle dann erneut.

## The reporter's private page

reporter-title = Dein Ticket Nr. { $id }
reporter-closed = Dieses Ticket ist geschlossen.
reporter-closed-since = Dieses Ticket ist geschlossen seit
reporter-closed-text = Der Helpdesk betrachtet das Problem als gelöst; die Nachrichten unten sagen, wie. Das Ticket nimmt keine Antworten mehr an.
reporter-report-again = Wenn das Problem wieder auftritt, melde es erneut.
fact-status = Status
fact-category = Kategorie
fact-reported = Gemeldet
fact-modified = Zuletzt geändert
fact-closed = Geschlossen
fact-description = Beschreibung
thread-heading = Nachrichten
reporter-no-messages = Noch keine Nachrichten. Die Antworten des Helpdesks erscheinen hier.
reporter-reply-label = Dem Helpdesk antworten
reporter-send = Antwort senden
reporter-link-heading = Dein privater Link
reporter-link-label = Privater Link zu diesem Ticket
reporter-link-hint = Diese Seite gehört dir: Sie öffnet sich auf jedem Gerät, ohne Rolle oder Anmeldung, auch nachdem das Ticket geschlossen ist. Wer den Link hat, kann das Ticket lesen und antworten; teile ihn also nur mit Menschen, denen du vertraust.
reporter-unknown-link = Unter diesem privaten Link gibt es kein Ticket. Prüfe, ob der ganze Link kopiert wurde.
reporter-reply-posted = Deine Antwort ist gesendet. Der Helpdesk sieht sie beim Ticket.

## Stopping e-mails

unsubscribe-title = E-Mail-Benachrichtigungen
unsubscribe-done = Erledigt: Du bekommst keine E-Mails mehr zu Ticket Nr. { $id }.
unsubscribe-unknown = Dieser Abmeldelink ist unbekannt. Prüfe, ob du den ganzen Link aus der E-Mail geöffnet hast.
unsubscribe-ask = Keine E-Mails mehr zu diesem Ticket? Du kannst das Ticket weiterhin über den Link in den erhaltenen E-Mails öffnen.
unsubscribe-button = Keine E-Mails mehr zu diesem Ticket

## Importing tickets

import-title = Tickets importieren
import-lead = Lade Tickets aus einem anderen Helpdesk oder einer Tabelle, als CSV-Datei bis { $limit } MiB.
import-file = CSV-Datei
import-columns = Die erste Zeile benennt die Spalten, in dieser Reihenfolge:
import-columns-more = optional gefolgt von category und thread (das Benutzerhandbuch beschreibt jede). Ein Ticket mit leerer Kategorie bekommt eine aus seinem Text.
import-checked-first = Zuerst wird jede Zeile geprüft. Ist eine Zeile falsch, wird nichts importiert und die Seite nennt die Zeile; sind alle richtig, werden alle zusammen importiert.
import-button = Importieren
cancel = Abbrechen
import-job-title = Import { $id }
import-job-lead = Eine Datei mit { $bytes } Bytes, gesendet am
import-progress = Fortschritt des Imports
import-total = Tickets in der Datei
import-not-read = noch nicht gelesen
import-rows-checked = Geprüfte Zeilen
import-saved = Gespeicherte Tickets
import-refreshing = Diese Seite aktualisiert sich jede Sekunde, bis der Import endet. Du kannst sie verlassen: Der Import läuft weiter, und diese Seite zeigt bei deiner Rückkehr, wie er ausging.
import-done = { $count ->
        [one] { $count } Ticket wurde importiert.
       *[other] { $count } Tickets wurden importiert.
    }
import-first = Die ersten { $count } davon:
import-new = Die neuen Tickets:
import-to-list = Zur Ticketliste
import-correct = Korrigiere die Datei und importiere sie erneut: Da keines ihrer Tickets gespeichert wurde, wird keines doppelt vorhanden sein.
import-again = Eine Datei importieren
import-state-queued = Wartet, bis ein anderer Import fertig ist
import-state-validating = Zeilen werden geprüft
import-state-writing = Tickets werden gespeichert
import-state-done = Importiert
import-state-failed = Nicht importiert
import-staff-only = Tickets importieren ist Sache des Helpdesk-Teams. Du bist hier als Campus-Nutzer; wechsle die Rolle auf der Startseite, wenn du im Helpdesk arbeitest.
import-upload-unreadable = Der Upload konnte nicht gelesen werden ({ $reason }). Bitte wähle die Datei erneut.
import-file-unreadable = Die Datei konnte nicht gelesen werden ({ $reason }). Bitte wähle sie erneut.
import-no-file = Wähle eine CSV-Datei zum Importieren: Es kam keine Datei an, oder sie war leer.
import-choose-again = { $reason } Bitte wähle die Datei erneut.

## Statuses, categories and roles on every ticket page (by slug: the domain crate stays English)

status-name = { $status ->
        [open] Offen
        [active] In Arbeit
       *[closed] Geschlossen
    }
category-name = { $category ->
        [facility] Gebäudemanagement
        [it] IT-Technik
       *[services] Dienste
    }
source-auto = automatisch gesetzt
source-staff = vom Team gesetzt
source-import = importiert
message-role-user = Campus-Nutzer
message-role-staff = Helpdesk
message-anonymous = Anonym

## The activity log of a ticket (staff)

event-created = hat das Ticket gemeldet
event-created-status = hat das Ticket gemeldet (Status { $status })
event-field = { $field ->
        [title] den Titel
        [description] die Beschreibung
       *[other] { $field }
    }
event-and = {" und "}
event-edited-fields = hat { $fields } bearbeitet
event-edited = hat das Ticket bearbeitet
event-status-moved = hat es von { $from } auf { $to } gesetzt
event-status-set = hat den Status auf { $to } gesetzt
event-category-confirmed = hat die Kategorie { $to } bestätigt
event-category-changed = hat die Kategorie von { $from } auf { $to } geändert
event-category-set = hat die Kategorie auf { $to } gesetzt
event-message = hat eine Nachricht geschrieben
event-who-named = { $name } ({ $role ->
        [staff] Helpdesk-Team
       *[user] Campus-Nutzer
    })

## The staff's ticket page (tickets/show.html)

ticket-all = Alle Tickets
ticket-gone = Dieses Ticket wurde geschlossen oder entfernt; Campus-Nutzer sehen es nicht mehr.
ticket-back-to-list = Zurück zur Ticketliste
ticket-number = Ticket #{ $id }
created-thanks = Danke, Ihr Problem ist als Ticket #{ $id } gemeldet.
created-link-label = Ihr privater Link zu Ticket #{ $id }
created-keep-link = Bewahren Sie diesen Link auf
created-keep-link-text = (kopieren, als Lesezeichen speichern oder notieren): Er öffnet Ihr Ticket auf jedem Gerät, mit den Antworten des Helpdesks und dem Ergebnis, auch nachdem das Ticket geschlossen ist. Dieser Browser zeigt ihn auch unter „Von diesem Browser gemeldet“ in der Ticketliste.
created-open-private = Ihre private Seite öffnen
created-filed-under = Es wurde eingeordnet unter
created-confidence = mit { $confidence } Sicherheit.
created-why = Warum diese Kategorie?
created-no-word = Kein einzelnes Wort gab den Ausschlag; der Text als Ganzes lag dieser Kategorie am nächsten.
created-words = Diese Wörter Ihrer Meldung wogen am meisten, das stärkste zuerst:
created-no-explanation = Die Erklärung ist gerade nicht verfügbar.
created-corrects = Der Helpdesk korrigiert die Kategorie, wenn sie falsch ist.
fact-source-confidence = { $source }, { $confidence } Sicherheit
fact-will-check = (der Helpdesk prüft sie)
fact-deciding-words = Entscheidende Wörter
fact-no-word = Kein einzelnes Wort stach heraus.
fact-words-label = Wörter, die die Kategorie entschieden, das stärkste zuerst
fact-opened = Eröffnet
fact-reporter-email = E-Mail der meldenden Person
fact-subscribed = (erhält E-Mail-Nachrichten)
fact-unsubscribed = (abgemeldet)
why-staff = Vom Team gesetzt.
why-import = Aus der importierten Datei übernommen.
ticket-no-messages = Noch keine Nachrichten. Stellen Sie unten eine Frage oder ergänzen Sie Details.
message-write = Nachricht schreiben
message-files = Fotos oder Dokumente
message-post = Nachricht senden
next-step = Nächster Schritt
transition-start = Arbeit beginnen
transition-start-hint = Setzt das Ticket auf „In Arbeit“: Der Helpdesk kümmert sich darum.
transition-close = Ticket schließen
transition-close-hint = Markiert das Ticket als gelöst. Campus-Nutzer sehen es nicht mehr.
close-confirm-text = Schließen ist endgültig: Ticket #{ $id } nimmt dann keine Nachrichten mehr an, Campus-Nutzer sehen es nicht mehr, und wer eine E-Mail-Adresse angegeben hat, wird benachrichtigt.
close-confirm-button = Ja, Ticket #{ $id } schließen
undo-heading = Versehentlich geschlossen?
undo-button = Schließen rückgängig machen
undo-until = Möglich bis
undo-until-after = : Das Ticket ist dann wieder in Arbeit, und das Protokoll hält die Rücknahme fest.
edit-heading = Ticket bearbeiten
edit-conflict = Jemand anderes hat dieses Ticket geändert, während Sie es bearbeitet haben. Das Ticket zeigt jetzt deren Fassung; Ihr Text steht unten. Prüfen Sie ihn und speichern Sie erneut, um deren Fassung zu ersetzen.
field-title = Titel
field-up-to = Bis zu { $max } Zeichen.
edit-category-hint = Korrigieren Sie sie, wenn die automatische Wahl falsch ist; der Klassifikator lernt daraus.
edit-category-invalid = Bitte wählen Sie eine der drei Kategorien: Gebäudemanagement, IT-Technik oder Dienste
edit-save = Änderungen speichern
confirm-category = { $category } bestätigen
confirm-category-hint = Wenn die Kategorie stimmt, bestätigen Sie sie: Sie gilt dann als vom Team gesetzt und muss nicht mehr geprüft werden.
activity-heading = Verlauf
activity-empty = Noch nichts festgehalten.
flash-saved = Ihre Änderungen sind gespeichert.
flash-confirmed = Kategorie bestätigt.
flash-unchanged = Nichts war anders, also musste nichts gespeichert werden.
flash-posted = Ihre Nachricht ist veröffentlicht.
flash-moved-active = Die Arbeit hat begonnen: Das Ticket ist jetzt in Arbeit.
flash-moved-closed = Das Ticket ist geschlossen.
flash-moved = Der Status ist geändert.
flash-undone = Schließen rückgängig gemacht: Das Ticket ist wieder in Arbeit.
flash-stale = Das Ticket war schon weiter, deshalb galt das nicht mehr. Dies ist sein aktueller Stand.
status-staff-only = Nur das Helpdesk-Team kann die Arbeit an einem Ticket beginnen oder es schließen. Sie sind als Campus-Nutzer hier.
status-not-possible = Diese Statusänderung ist nicht möglich: Ein Ticket kann nur begonnen (in Arbeit gesetzt) oder geschlossen werden.
undo-staff-only = Nur das Helpdesk-Team kann das Schließen eines Tickets rückgängig machen. Sie sind als Campus-Nutzer hier.
undo-refused = Das Schließen wurde nicht rückgängig gemacht: { $reason }

## The dashboard (dashboard/index.html)

dash-heading = Helpdesk-Übersicht
dash-lead = Aktuelle Zahlen aus dem Analysedienst. Wählen Sie eine Auswertung.
dash-updated = Aktualisiert um
dash-tabs-label = Auswertungen
dash-tab-unclosed = Offene Tickets
dash-tab-resolution = Bearbeitungszeit
dash-tab-categories = In Arbeit nach Kategorie
dash-period-legend = Tickets, eröffnet in den letzten …
dash-amount = Anzahl
dash-unit = Einheit
# $unit: hours or days
dash-unit-name = { $unit ->
        [hours] Stunden
       *[days] Tage
    }
dash-show = Anzeigen
dash-quick = Schnellwahl:
dash-quick-pick = { $unit ->
        [hours] { $amount } Std.
       *[days] { $amount } Tage
    }
dash-period = { $amount } { $unit ->
        [hours] { $amount ->
            [one] Stunde
           *[other] Stunden
        }
       *[days] { $amount ->
            [one] Tag
           *[other] Tagen
        }
    }
dash-unit-invalid = Wählen Sie Stunden oder Tage als Einheit.
dash-amount-empty = Geben Sie an, wie viele { $unit } zurückgeschaut werden soll, z. B. 7.
dash-amount-invalid = Geben Sie eine ganze Zahl von { $unit } zwischen 1 und { $max } ein; „{ $amount }“ ist keine.
dash-load-again = Zahlen neu laden
dash-unreachable-heading = Auswertungen nicht verfügbar
dash-unreachable = Der Analysedienst ist gerade nicht erreichbar, daher können keine Zahlen gezeigt werden. Die Tickets sind nicht betroffen; bitte versuchen Sie es in einer Minute erneut.
dash-loading-heading = Die Zahlen sind unterwegs
dash-loading = Der Analysedienst lädt noch die Tickets; die Zahlen erscheinen gleich.
# $slice: hour or day
dash-unclosed-summary = { $count } nicht geschlossene Tickets wurden in den letzten { $period } eröffnet (seit { $since }): { $open } offen und { $active } in Arbeit. Die Balken zeigen sie je { $slice ->
        [hour] Stunde
       *[day] Tag
    } der Eröffnung, in Arbeit unten und offen oben.
dash-unclosed-heading = Nicht geschlossene Tickets der letzten { $period }
dash-unclosed-caption = Nicht geschlossene Tickets je { $slice ->
        [hour] Stunde
       *[day] Tag
    } der Eröffnung
dash-all = Alle
dash-col-opened = Eröffnet
dash-col-unclosed = Nicht geschlossen
dash-slowest = {" "}Der langsamste Monat war { $month } mit durchschnittlich { $hours } Stunden.
dash-resolution-summary = Mittelwert und Median der Stunden von der Eröffnung bis zum Schließen, für Tickets eröffnet von { $first } bis { $last } (Monate in { $zone }).{ $slowest }
dash-resolution-none = Noch kein Ticket wurde geschlossen, daher gibt es keine Bearbeitungszeit.
dash-resolution-heading = Bearbeitungszeit nach Eröffnungsmonat
dash-resolution-caption = Bearbeitungszeit (von der Meldung bis zum Schließen) nach Eröffnungsmonat
dash-col-month = Eröffnungsmonat
dash-col-closed = Geschlossene Tickets
dash-col-mean = Mittelwert (Stunden)
dash-col-median = Median (Stunden)
dash-categories-heading = Tickets in Arbeit je Kategorie
dash-categories-summary = { $total } Tickets sind in Arbeit: { $parts }.
dash-col-active = Tickets in Arbeit
dash-classifier-heading = Automatische Kategorien
dash-kept = Vom Team beibehalten
dash-accuracy-detail = { $corrected } von { $total } automatischen Kategorien wurden vom Team korrigiert
dash-accuracy-none = Noch kein Ticket wurde automatisch eingeordnet
dash-corrections = Korrekturen durch das Team
dash-corrections-detail = jede bringt dem Klassifikator etwas bei
dash-now-right = Jetzt richtige Korrekturen
dash-of = { $part } von { $whole }
dash-now-right-detail = korrigierte Tickets, die das Modell jetzt so einordnet wie das Team
dash-model = Modell
dash-model-trained = trainiert mit { $count } Texten, { $when }
dash-learning = Lernt aus den neuesten Korrekturen…

## The dashboard's charts (chart.rs)

# A month on a chart: $month 1-12, $year and $day as digits.
month-name = { $month ->
        [1] Jan.
        [2] Feb.
        [3] März
        [4] Apr.
        [5] Mai
        [6] Juni
        [7] Juli
        [8] Aug.
        [9] Sept.
        [10] Okt.
        [11] Nov.
       *[12] Dez.
    }
month-year = { month-name } { $year }
day-month = { $day }. { month-name }
chart-hours = Stunden bis zur Lösung
chart-mean = Mittelwert
chart-median = Median
# A category's name on a phone's narrow chart.
category-short = { $category ->
        [facility] Gebäude
        [it] IT
       *[services] Dienste
    }

## The ticket list (tickets/list.html)

list-title = Tickets
list-heading-staff = Alle Tickets
list-heading-user = Offene Tickets und Tickets in Arbeit
list-lead-staff = Alle Tickets des Campus. Filtern, suchen und sortieren Sie, und öffnen Sie eines, um es zu bearbeiten.
list-lead-user = Auf dem Campus gemeldete Probleme, die noch nicht gelöst sind. Geschlossene Tickets bewahrt nur der Helpdesk auf.
list-reported-heading = Von diesem Browser gemeldet
list-reported-hint = Neueste zuerst, auch geschlossene: Jedes öffnet Ihre private Seite des Tickets, mit den Antworten des Helpdesks und dem Ergebnis.
list-last-modified = zuletzt geändert
list-tools-staff = Suche und Filter
list-tools-user = Suche
list-filters-label-staff = Tickets filtern
list-filters-label-user = Tickets durchsuchen
list-search = Suche
list-search-placeholder = Wörter, „eine Wortgruppe“ oder #Nummer
list-any-status = Alle Status
list-any-category = Alle Kategorien
list-sort-by = Sortieren nach
list-per-page = Pro Seite
list-apply = Anwenden
list-search-button = Suchen
list-clear = Zurücksetzen
list-go-form-label = Ein Ticket über seine Nummer öffnen
list-go-label = Zu Ticket #
list-go-open = Öffnen
# The service orders statuses and categories by their English names: the German labels say
# the order as it is.
list-sort = { $sort ->
        [newest] Neueste zuerst
        [oldest] Älteste zuerst
        [recent] Zuletzt geänderte zuerst
        [least-recent] Am längsten nicht geänderte zuerst
        [status-az] Status: In Arbeit, Geschlossen, Offen
        [status-za] Status: Offen, Geschlossen, In Arbeit
        [category-az] Kategorie: Gebäude, IT, Dienste
       *[category-za] Kategorie: Dienste, IT, Gebäude
    }
list-caption = Tickets, { $sort ->
        [newest] neueste zuerst
        [oldest] älteste zuerst
        [recent] zuletzt geänderte zuerst
        [least-recent] am längsten nicht geänderte zuerst
        [status-az] nach Status: In Arbeit, Geschlossen, Offen
        [status-za] nach Status: Offen, Geschlossen, In Arbeit
        [category-az] nach Kategorie: Gebäude, IT, Dienste
       *[category-za] nach Kategorie: Dienste, IT, Gebäude
    }
list-search-shorten = Kürzen Sie den Suchtext oben, um Tickets zu sehen.
list-or = Oder
list-show-all-link = alle Tickets anzeigen
list-refused = Die Tickets konnten so nicht aufgelistet werden.
list-show-all = Alle Tickets anzeigen
list-no-match = Keine Tickets passen zu diesen Filtern.
list-try-other-words = Versuchen Sie andere Wörter oder
list-clear-filters = setzen Sie die Filter zurück
list-no-more = Keine weiteren Tickets.
list-none-open = Zurzeit gibt es keine offenen Tickets.
list-something-broken = Funktioniert etwas auf dem Campus nicht?
list-col-ticket = Ticket
list-messages = { $count ->
        [one] { $count } Nachricht
       *[other] { $count } Nachrichten
    }
list-pages-label = Seiten
list-previous = Vorherige
list-next = Nächste
list-first-page = Zurück zur ersten Seite
list-download-csv = CSV herunterladen
list-page-of = Seite { $page } von { $pages } · { $tickets }
list-page-count = { $pages ->
        [one] { $pages } Seite
       *[other] { $pages } Seiten
    } · { $tickets }
list-total = { tickets-count }
list-total-about = etwa { tickets-count }
list-sort-invalid = So lässt sich die Liste nicht sortieren; wählen Sie eine Reihenfolge aus der Liste.
list-size-invalid = Wählen Sie 25, 50 oder 100 Tickets pro Seite.
list-status-invalid = Der Statusfilter ist ungültig: Wählen Sie offen, in Arbeit oder geschlossen.
list-category-invalid = Der Kategoriefilter ist ungültig: Wählen Sie Gebäudemanagement, IT-Technik oder Dienste.
list-search-too-long = Der Suchtext darf höchstens { $max } Zeichen lang sein.
list-go-not-a-number = Geben Sie eine Ticketnummer ein, etwa 334 oder #334.
list-go-no-ticket = Es gibt kein Ticket #{ $id }.
list-go-not-found = Ticket #{ $id } wurde nicht gefunden, oder es ist geschlossen. Geschlossene Tickets sieht nur das Helpdesk-Team; wenn Sie es gemeldet haben, öffnen Sie es über seinen privaten Link.
list-go-unreachable = Der Ticketdienst ist gerade nicht erreichbar; bitte versuchen Sie es gleich noch einmal.

## Reporting a problem (tickets/new.html) and the files of a form

new-lead = Sagen Sie, was nicht stimmt und wo. Der Helpdesk ordnet es automatisch Gebäudemanagement, IT-Technik oder Diensten zu.
new-title-hint = Eine kurze Zusammenfassung, z. B. „Aufzug in Gebäude B steckt im 3. Stock“.
new-description-hint = Was ist passiert, wo, seit wann.
new-hint-waiting = Wohin die Meldung voraussichtlich geht, erscheint hier beim Tippen.
new-email = E-Mail für Nachrichten
new-email-hint = Wenn der Helpdesk antwortet oder den Status ändert, erhalten Sie eine E-Mail mit einem privaten Link zu Ihrem Ticket. Nur der Helpdesk sieht die Adresse; jede E-Mail enthält einen Link, um sie abzubestellen.
new-email-off = E-Mail-Nachrichten gibt es bei diesem Helpdesk nicht; notieren Sie sich die Nummer Ihres Tickets, um es wiederzufinden.
new-send = Meldung senden
# $each: "10 MiB"
files-hint = Fotos (PNG oder JPEG) oder PDF-Dokumente: bis zu { $count ->
        [one] { $count } Datei
       *[other] { $count } Dateien
    }, je { $each }.
files-choose-again = Ihr Text bleibt erhalten, aber bitte wählen Sie die Dateien erneut.

## Error pages (error.html)

error-code = Fehler { $status }
error-to-list = Zur Ticketliste
error-start-page = Startseite
error-not-found-heading = Nicht gefunden
error-forbidden-heading = Nicht für diese Rolle
error-bad-request-heading = Das hat nicht geklappt
error-unavailable-heading = Dienst nicht verfügbar
# $service: tickets or analytics
error-unavailable = Der { $service ->
        [analytics] Analysedienst
       *[tickets] Ticketdienst
    } ist gerade nicht erreichbar, daher kann diese Seite nicht angezeigt werden. Bitte versuchen Sie es in einer Minute erneut.
error-internal-heading = Etwas ist schiefgegangen
error-internal = Diese Seite konnte wegen eines Fehlers auf unserer Seite nicht angezeigt werden. Bitte versuchen Sie es erneut; wenn es wieder passiert, sagen Sie dem Helpdesk Bescheid.
error-no-page = Unter dieser Adresse gibt es keine Seite. Vielleicht wurde sie verschoben, oder der Link ist falsch geschrieben.
error-method-heading = So nicht verfügbar
error-method = Diese Adresse lässt sich so nicht verwenden. Bitte beginnen Sie wieder bei der Ticketliste.
error-bad-query = Die Adresse konnte nicht gelesen werden: Eine ihrer Einstellungen nach dem „?“ hat einen Wert, den diese Seite nicht versteht. Bitte gehen Sie zurück und verwenden Sie die Links und Formulare der Seite.
error-form-refused-heading = Formular nicht angenommen
error-form-refused = Dieses Formular wurde nicht angenommen, daher wurde nichts geändert. Formulare von campusdesk werden nur angenommen, wenn sie von den eigenen Seiten von campusdesk gesendet werden; eine andere Seite kann sie nicht für Sie senden. Wenn Sie es von hier gesendet haben, ist die Seite vielleicht veraltet: Laden Sie sie neu und senden Sie das Formular erneut.
error-form-too-large-heading = Formular zu groß
error-form-too-large = Dieses Formular ist größer als die { $limit } MiB, die der Helpdesk annimmt, daher wurde nichts geändert. Bitte kürzen Sie den Text und senden Sie ihn erneut.

## Shared parts of pages (macros.html)

check-mark = bitte prüfen
check-mark-title = Die automatische Kategorie ist unsicher: bitte prüfen
attachments-label = Anhänge
attachment-photo-alt = Foto { $name } (in voller Größe öffnen)
errors-heading = { $count ->
        [one] Bitte korrigieren Sie das vor dem Senden:
       *[other] Bitte korrigieren Sie diese { $count } Punkte vor dem Senden:
    }

## The category preview while typing a report (hint.rs)

hint-filed-under = Das wird wahrscheinlich eingeordnet unter: { $category } ({ $percent })
hint-unreadable = Der Text konnte nicht gelesen werden.
hint-empty = Geben Sie zuerst einen Titel oder eine Beschreibung ein.
hint-unreachable = Der Ticketdienst ist gerade nicht erreichbar; die Kategorie erscheint, nachdem Sie die Meldung gesendet haben.

## Text used by the page scripts (static/*.js)

# count.js
script-count = { $used } von { $max } Zeichen
script-count-over = { $used } von { $max } Zeichen: { $over } zu viel
script-count-now-over = Über der Grenze von { $max } Zeichen.
script-count-back = Wieder innerhalb der Grenze von { $max } Zeichen.
# hint.js
script-hint-uncertain = { $hint }. Noch nicht sicher: ein paar Details mehr helfen.
script-hint-words = Entscheidende Wörter: { $words }
# keys.js
script-keys-title = Tastenkürzel
script-keys-intro = Sie wirken, wenn Sie nicht gerade in einem Feld schreiben. Esc schließt dieses Fenster.
script-key-search = In der Ticketliste suchen
script-key-next = Nächstes Ticket in der Liste
script-key-previous = Vorheriges Ticket in der Liste
script-key-open = Ausgewähltes Ticket öffnen (Enter geht auch)
script-key-start = Mit der Arbeit an diesem Ticket beginnen
script-key-close = Dieses Ticket schließen (fragt erst nach)
script-key-reply = Eine Nachricht zu diesem Ticket schreiben
script-key-help = Diese Tastenkürzel zeigen
script-keys-done = Schließen
