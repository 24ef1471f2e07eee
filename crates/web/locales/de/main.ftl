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
