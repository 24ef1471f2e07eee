# campusdesk web UI: Italian. Written by the team's engineer, not yet reviewed by a native speaker.

## Dates and numbers

datetime = { $day } { $month ->
        [1] gen
        [2] feb
        [3] mar
        [4] apr
        [5] mag
        [6] giu
        [7] lug
        [8] ago
        [9] set
        [10] ott
        [11] nov
       *[12] dic
    } { $year }, { $time }
tickets-count = { $count ->
        [one] { $count } ticket
       *[other] { $count } ticket
    }

## Roles

role-user = Utente del campus
role-staff = Staff dell'helpdesk

## Typed text that was refused

text-field = { $field ->
        [title] Il titolo
        [description] La descrizione
        [message] Il messaggio
        [name] Il nome
       *[other] Il testo
    }
text-empty = { text-field } non può essere { $field ->
        [description] vuota
       *[other] vuoto
    }.
text-too-long = { text-field } è { $field ->
        [description] lunga
       *[other] lungo
    } { $len } caratteri; ne sono ammessi al massimo { $max }.
text-control = { text-field } contiene un carattere di controllo che non si può salvare.
address-too-long = L'indirizzo e-mail può avere al massimo { $max } caratteri.
address-malformed = «{ $address }» non è un indirizzo e-mail; scrivilo come nome@campus.example, oppure lascia il campo vuoto.

## Around every page

skip-to-content = Vai al contenuto
brand-sub = Helpdesk del campus
menu-label = Principale
menu-tickets = Ticket
menu-new-ticket = Segnala un problema
menu-dashboard = Cruscotto
menu-import = Importa
whoami-label = Sei qui come
whoami-switch = Cambia ruolo
footer-no-login = campusdesk non ha login, per scelta: dichiari il tuo ruolo nella pagina iniziale e l'helpdesk si fida.
footer-time-zone = Gli orari sono nel fuso orario { $zone } ({ $abbr }).
footer-appearance = Aspetto:
appearance-auto = Come il dispositivo
appearance-light = Chiaro
appearance-dark = Scuro
appearance-unknown = Scegli un aspetto con uno dei pulsanti: come il dispositivo, chiaro o scuro.
footer-language = Lingua:
language-unknown = Scegli una lingua con uno dei pulsanti: English, Italiano o Deutsch.

## The start page

entry-title = Benvenuto
entry-heading = Helpdesk del campus
entry-lead = Segnala un ascensore guasto, un'interruzione di rete o un problema con un servizio del campus, e seguilo finché non è risolto.
entry-left = Sei uscito. Scegli un ruolo per rientrare.
entry-no-login = Non c'è login, per scelta.
entry-no-login-text = Dici semplicemente chi sei: un utente del campus che segnala problemi, o lo staff dell'helpdesk che li gestisce. Nessuno controlla questa scelta, e puoi cambiarla in qualsiasi momento.
entry-current = Ora sei qui come
entry-current-named = con il nome
entry-continue = Continua ai ticket
entry-forget = Dimentica il mio ruolo
entry-come-in-as = Entra come
entry-user-text = Studenti, docenti e personale: segnala problemi e segui i tuoi ticket.
entry-staff-text = Smista tutti i ticket, avvia il lavoro, chiudili e consulta il cruscotto.
entry-name = Nome visualizzato
entry-optional = (facoltativo)
entry-name-hint = Mostrato accanto ai tuoi messaggi. Fino a 60 caratteri.
entry-enter = Entra
entry-role-missing = Scegli come entri: come utente del campus o come staff dell'helpdesk.
entry-too-often = Il ruolo è stato cambiato troppe volte dal tuo indirizzo di rete, quindi questa volta non è cambiato nulla. Attendi { $seconds ->
        [one] { $seconds } secondo
       *[other] { $seconds } secondi
    } e scegli di nuovo.

## The reporter's private page

reporter-title = Il tuo ticket n. { $id }
reporter-closed = Questo ticket è chiuso.
reporter-closed-since = Questo ticket è chiuso dal
reporter-closed-text = L'helpdesk considera il problema risolto; i loro messaggi qui sotto spiegano come. Il ticket non accetta più risposte.
reporter-report-again = Se il problema si ripresenta, segnalalo di nuovo.
fact-status = Stato
fact-category = Categoria
fact-reported = Segnalato
fact-modified = Ultima modifica
fact-closed = Chiuso
fact-description = Descrizione
thread-heading = Messaggi
reporter-no-messages = Ancora nessun messaggio. Le risposte dell'helpdesk compaiono qui.
reporter-reply-label = Rispondi all'helpdesk
reporter-send = Invia risposta
reporter-link-heading = Il tuo link privato
reporter-link-label = Link privato a questo ticket
reporter-link-hint = Questa pagina è tua: si apre da qualsiasi dispositivo, senza ruolo né login, anche dopo la chiusura del ticket. Chiunque abbia il link può leggere il ticket e rispondere, quindi condividilo solo con persone di cui ti fidi.
reporter-unknown-link = Non c'è nessun ticket a questo link privato. Controlla di aver copiato il link intero.
reporter-reply-posted = La tua risposta è pubblicata. L'helpdesk la vede sotto il ticket.

## Stopping e-mails

unsubscribe-title = Aggiornamenti via e-mail
unsubscribe-done = Fatto: non riceverai più e-mail sul ticket n. { $id }.
unsubscribe-unknown = Questo link di disiscrizione non è noto. Controlla di aver aperto il link intero dall'e-mail.
unsubscribe-ask = Vuoi smettere di ricevere e-mail su questo ticket? Potrai comunque aprire il ticket dal link nelle e-mail ricevute.
unsubscribe-button = Smetti di inviare e-mail su questo ticket

## Importing tickets

import-title = Importa ticket
import-lead = Carica ticket da un altro helpdesk o da un foglio di calcolo, come file CSV fino a { $limit } MiB.
import-file = File CSV
import-columns = La prima riga nomina le colonne, in quest'ordine:
import-columns-more = seguite facoltativamente da category e thread (il manuale utente le descrive). Un ticket con la categoria vuota ne riceve una dal suo testo.
import-checked-first = Ogni riga viene prima controllata. Se una riga è sbagliata, non si importa nulla e la pagina indica la riga; se sono tutte corrette, si importano tutte insieme.
import-button = Importa
cancel = Annulla
import-job-title = Importazione { $id }
import-job-lead = Un file di { $bytes } byte, inviato il
import-progress = Avanzamento dell'importazione
import-total = Ticket nel file
import-not-read = non ancora letto
import-rows-checked = Righe controllate
import-saved = Ticket salvati
import-refreshing = Questa pagina si aggiorna ogni secondo finché l'importazione non termina. Puoi lasciarla: l'importazione continua, e al tuo ritorno questa pagina mostra com'è finita.
import-done = { $count ->
        [one] È stato importato { $count } ticket.
       *[other] Sono stati importati { $count } ticket.
    }
import-first = I primi { $count }:
import-new = I nuovi ticket:
import-to-list = Vai all'elenco dei ticket
import-correct = Correggi il file e importalo di nuovo: poiché nessuno dei suoi ticket è stato salvato, nessuno comparirà due volte.
import-again = Importa un file
import-state-queued = In attesa che finisca un'altra importazione
import-state-validating = Controllo delle righe
import-state-writing = Salvataggio dei ticket
import-state-done = Importato
import-state-failed = Non importato
import-staff-only = Importare ticket è compito dello staff dell'helpdesk. Sei qui come utente del campus; cambia ruolo nella pagina iniziale se lavori all'helpdesk.
import-upload-unreadable = Il caricamento non si è potuto leggere ({ $reason }). Scegli di nuovo il file.
import-file-unreadable = Il file non si è potuto leggere ({ $reason }). Sceglilo di nuovo.
import-no-file = Scegli un file CSV da importare: non è arrivato nessun file, o era vuoto.
import-choose-again = { $reason } Scegli di nuovo il file.

## Statuses, categories and roles on every ticket page (by slug: the domain crate stays English)

status-name = { $status ->
        [open] Aperto
        [active] In lavorazione
       *[closed] Chiuso
    }
category-name = { $category ->
        [facility] Gestione edifici
        [it] Informatica
       *[services] Servizi
    }
source-auto = assegnata automaticamente
source-staff = assegnata dallo staff
source-import = importata
message-role-user = Utente del campus
message-role-staff = Helpdesk
message-anonymous = Anonimo

## The activity log of a ticket (staff)

event-created = ha segnalato il ticket
event-created-status = ha segnalato il ticket (stato { $status })
event-field = { $field ->
        [title] il titolo
        [description] la descrizione
       *[other] { $field }
    }
event-and = {" e "}
event-edited-fields = ha modificato { $fields }
event-edited = ha modificato il ticket
event-status-moved = l'ha spostato da { $from } a { $to }
event-status-set = ha impostato lo stato a { $to }
event-category-confirmed = ha confermato la categoria { $to }
event-category-changed = ha cambiato la categoria da { $from } a { $to }
event-category-set = ha impostato la categoria a { $to }
event-message = ha scritto un messaggio
event-who-named = { $name } ({ $role ->
        [staff] staff dell'helpdesk
       *[user] utente del campus
    })

## The staff's ticket page (tickets/show.html)

ticket-all = Tutti i ticket
ticket-gone = Questo ticket è stato chiuso o rimosso; gli utenti del campus non lo vedono più.
ticket-back-to-list = Torna all'elenco dei ticket
ticket-number = Ticket n. { $id }
created-thanks = Grazie, il tuo problema è segnalato come ticket n. { $id }.
created-link-label = Il tuo link privato al ticket n. { $id }
created-keep-link = Conserva questo link
created-keep-link-text = (copialo, salvalo nei preferiti o annotalo): apre il tuo ticket da qualsiasi dispositivo, con le risposte dell'helpdesk e l'esito, anche dopo la chiusura. Questo browser lo elenca anche sotto «Segnalati da questo browser» nell'elenco dei ticket.
created-open-private = Apri la tua pagina privata
created-filed-under = È stato classificato come
created-confidence = con una sicurezza del { $confidence }.
created-why = Perché questa categoria?
created-no-word = Nessuna parola singola ha deciso; il testo nel suo insieme era più vicino a questa categoria.
created-words = Queste parole della tua segnalazione hanno pesato di più, la più forte per prima:
created-no-explanation = La spiegazione non è disponibile in questo momento.
created-corrects = L'helpdesk corregge la categoria se è sbagliata.
fact-source-confidence = { $source }, sicurezza del { $confidence }
fact-will-check = (l'helpdesk la verificherà)
fact-deciding-words = Parole decisive
fact-no-word = Nessuna parola singola si è distinta.
fact-words-label = Parole che hanno deciso la categoria, la più forte per prima
fact-opened = Aperto
fact-reporter-email = E-mail di chi ha segnalato
fact-subscribed = (riceve aggiornamenti via e-mail)
fact-unsubscribed = (disiscritto)
why-staff = Assegnata dallo staff.
why-import = Presa dal file importato.
ticket-no-messages = Ancora nessun messaggio. Fai una domanda o aggiungi dettagli qui sotto.
message-write = Scrivi un messaggio
message-files = Foto o documenti
message-post = Invia messaggio
next-step = Prossimo passo
transition-start = Inizia il lavoro
transition-start-hint = Segna il ticket come in lavorazione: l'helpdesk se ne occupa.
transition-close = Chiudi il ticket
transition-close-hint = Segna il ticket come risolto. Gli utenti del campus non lo vedono più.
close-confirm-text = La chiusura è definitiva: il ticket n. { $id } non accetta più messaggi, gli utenti del campus non lo vedono più e chi ha lasciato un indirizzo e-mail viene avvisato.
close-confirm-button = Sì, chiudi il ticket n. { $id }
undo-heading = Chiuso per errore?
undo-button = Annulla la chiusura
undo-until = Possibile fino a
undo-until-after = : il ticket torna in lavorazione e il registro delle attività annota l'annullamento.
edit-heading = Modifica il ticket
edit-conflict = Qualcun altro ha modificato questo ticket mentre lo stavi modificando. Il ticket ora mostra la sua versione; il tuo testo è conservato qui sotto. Controllalo e salva di nuovo per sostituire la sua.
field-title = Titolo
field-up-to = Fino a { $max } caratteri.
edit-category-hint = Correggila se la scelta automatica è sbagliata; il classificatore impara da questo.
edit-category-invalid = Scegli una delle tre categorie: gestione edifici, informatica o servizi
edit-save = Salva le modifiche
confirm-category = Conferma { $category }
confirm-category-hint = Se la categoria è giusta, confermala: diventa assegnata dallo staff e non va più verificata.
activity-heading = Attività
activity-empty = Ancora nulla di registrato.
flash-saved = Le modifiche sono salvate.
flash-confirmed = Categoria confermata.
flash-unchanged = Non c'era nulla di diverso, quindi non c'era nulla da salvare.
flash-posted = Il tuo messaggio è pubblicato.
flash-moved-active = Il lavoro è iniziato: il ticket ora è in lavorazione.
flash-moved-closed = Il ticket è chiuso.
flash-moved = Lo stato è cambiato.
flash-undone = Chiusura annullata: il ticket è di nuovo in lavorazione.
flash-stale = Il ticket era già andato avanti, quindi l'azione non si applicava. Questo è il suo stato attuale.
status-staff-only = Solo lo staff dell'helpdesk può iniziare il lavoro su un ticket o chiuderlo. Sei qui come utente del campus.
status-not-possible = Questo cambio di stato non è possibile: un ticket si può solo iniziare (mettere in lavorazione) o chiudere.
undo-staff-only = Solo lo staff dell'helpdesk può annullare la chiusura di un ticket. Sei qui come utente del campus.
undo-refused = La chiusura non è stata annullata: { $reason }

## The dashboard (dashboard/index.html)

dash-heading = Cruscotto dell'helpdesk
dash-lead = Dati in tempo reale dal servizio di analisi. Scegli un'analisi.
dash-updated = Aggiornato alle
dash-tabs-label = Analisi
dash-tab-unclosed = Ticket non chiusi
dash-tab-resolution = Tempo di risoluzione
dash-tab-categories = In lavorazione per categoria
dash-period-legend = Ticket aperti negli ultimi …
dash-amount = Numero
dash-unit = Unità
# $unit: hours or days
dash-unit-name = { $unit ->
        [hours] ore
       *[days] giorni
    }
dash-show = Mostra
dash-quick = Scelte rapide:
dash-quick-pick = { $unit ->
        [hours] { $amount } h
       *[days] { $amount } giorni
    }
dash-period = { $unit ->
        [hours] { $amount ->
            [one] nell'ultima ora
           *[other] nelle ultime { $amount } ore
        }
       *[days] { $amount ->
            [one] nell'ultimo giorno
           *[other] negli ultimi { $amount } giorni
        }
    }
dash-unit-invalid = Scegli ore o giorni come unità.
dash-amount-empty = Indica quante { $unit } guardare indietro, per esempio 7.
dash-amount-invalid = Indica un numero intero di { $unit } da 1 a { $max }; «{ $amount }» non lo è.
dash-load-again = Ricarica i dati
dash-unreachable-heading = Analisi non disponibili
dash-unreachable = Il servizio di analisi non è raggiungibile in questo momento, quindi non si possono mostrare dati. I ticket non ne risentono; riprova tra un minuto.
dash-loading-heading = I dati stanno arrivando
dash-loading = Il servizio di analisi sta ancora caricando i ticket; i dati compaiono tra un momento.
# $slice: hour or day
dash-unclosed-summary = { $count } ticket non chiusi sono stati aperti { $period } (da { $since }): { $open } aperti e { $active } in lavorazione. Le barre li mostrano per { $slice ->
        [hour] ora
       *[day] giorno
    } di apertura, in lavorazione in basso e aperti sopra.
dash-unclosed-heading = Ticket non chiusi aperti { $period }
dash-unclosed-caption = Ticket non chiusi per { $slice ->
        [hour] ora
       *[day] giorno
    } di apertura
dash-all = Tutti
dash-col-opened = Aperti
dash-col-unclosed = Non chiusi
dash-slowest = {" "}Il mese più lento è stato { $month }, con una media di { $hours } ore.
dash-resolution-summary = Ore medie e mediane dall'apertura alla chiusura, per i ticket aperti da { $first } a { $last } (mesi secondo { $zone }).{ $slowest }
dash-resolution-none = Nessun ticket è ancora stato chiuso, quindi non c'è un tempo di risoluzione da mostrare.
dash-resolution-heading = Tempo di risoluzione per mese di apertura
dash-resolution-caption = Tempo di risoluzione (dalla segnalazione alla chiusura) per mese di apertura
dash-col-month = Mese di apertura
dash-col-closed = Ticket chiusi
dash-col-mean = Media (ore)
dash-col-median = Mediana (ore)
dash-categories-heading = Ticket in lavorazione per categoria
dash-categories-summary = { $total } ticket sono in lavorazione: { $parts }.
dash-col-active = Ticket in lavorazione
dash-classifier-heading = Categorie automatiche
dash-kept = Mantenute dallo staff
dash-accuracy-detail = { $corrected } categorie automatiche su { $total } sono state corrette dallo staff
dash-accuracy-none = Nessun ticket è ancora stato classificato automaticamente
dash-corrections = Correzioni dello staff
dash-corrections-detail = ognuna insegna qualcosa al classificatore
dash-now-right = Correzioni ora giuste
dash-of = { $part } su { $whole }
dash-now-right-detail = ticket corretti che il modello ora classifica come lo staff
dash-model = Modello
dash-model-trained = addestrato su { $count } testi, { $when }
dash-learning = Sta imparando dalle ultime correzioni…

## The dashboard's charts (chart.rs)

# A month on a chart: $month 1-12, $year and $day as digits.
month-name = { $month ->
        [1] gen
        [2] feb
        [3] mar
        [4] apr
        [5] mag
        [6] giu
        [7] lug
        [8] ago
        [9] set
        [10] ott
        [11] nov
       *[12] dic
    }
month-year = { month-name } { $year }
day-month = { $day } { month-name }
chart-hours = Ore per risolvere
chart-mean = Media
chart-median = Mediana
# A category's name on a phone's narrow chart.
category-short = { $category ->
        [facility] Edifici
        [it] Informatica
       *[services] Servizi
    }

## The ticket list (tickets/list.html)

list-title = Ticket
list-heading-staff = Tutti i ticket
list-heading-user = Ticket aperti e in lavorazione
list-lead-staff = Tutti i ticket del campus. Filtra, cerca, ordina e aprine uno per gestirlo.
list-lead-user = Problemi segnalati nel campus e non ancora risolti. I ticket chiusi li conserva solo l'helpdesk.
list-reported-heading = Segnalati da questo browser
list-reported-hint = Dal più recente, chiusi compresi: ognuno apre la tua pagina privata del ticket, con le risposte dell'helpdesk e l'esito.
list-last-modified = ultima modifica
list-tools-staff = Ricerca e filtri
list-tools-user = Ricerca
list-filters-label-staff = Filtra i ticket
list-filters-label-user = Cerca nei ticket
list-search = Cerca
list-search-placeholder = Parole, «una frase» o #numero
list-any-status = Tutti gli stati
list-any-category = Tutte le categorie
list-sort-by = Ordina per
list-per-page = Per pagina
list-apply = Applica
list-search-button = Cerca
list-clear = Azzera
list-go-form-label = Vai a un ticket con il suo numero
list-go-label = Vai al ticket n.
list-go-open = Apri
# The service orders statuses and categories by their English names: the Italian labels say
# the order as it is.
list-sort = { $sort ->
        [newest] Dal più recente
        [oldest] Dal meno recente
        [recent] Modificati di recente prima
        [least-recent] Modificati meno di recente prima
        [status-az] Stato: in lavorazione, chiuso, aperto
        [status-za] Stato: aperto, chiuso, in lavorazione
        [category-az] Categoria, dalla A alla Z
       *[category-za] Categoria, dalla Z alla A
    }
list-caption = Ticket, { $sort ->
        [newest] dal più recente
        [oldest] dal meno recente
        [recent] modificati di recente prima
        [least-recent] modificati meno di recente prima
        [status-az] per stato: in lavorazione, chiuso, aperto
        [status-za] per stato: aperto, chiuso, in lavorazione
        [category-az] per categoria dalla A alla Z
       *[category-za] per categoria dalla Z alla A
    }
list-search-shorten = Accorcia il testo di ricerca qui sopra per vedere i ticket.
list-or = Oppure
list-show-all-link = mostra tutti i ticket
list-refused = Non è stato possibile elencare i ticket in questo modo.
list-show-all = Mostra tutti i ticket
list-no-match = Nessun ticket corrisponde a questi filtri.
list-try-other-words = Prova altre parole o
list-clear-filters = azzera i filtri
list-no-more = Non ci sono altri ticket.
list-none-open = Nessun ticket aperto al momento.
list-something-broken = Qualcosa non funziona nel campus?
list-col-ticket = Ticket
list-messages = { $count ->
        [one] { $count } messaggio
       *[other] { $count } messaggi
    }
list-pages-label = Pagine
list-previous = Precedente
list-next = Successiva
list-first-page = Torna alla prima pagina
list-download-csv = Scarica CSV
list-page-of = Pagina { $page } di { $pages } · { $tickets }
list-page-count = { $pages ->
        [one] { $pages } pagina
       *[other] { $pages } pagine
    } · { $tickets }
list-total = { tickets-count }
list-total-about = circa { tickets-count }
list-sort-invalid = L'elenco non si può ordinare così; scegli un ordine dall'elenco.
list-size-invalid = Scegli 25, 50 o 100 ticket per pagina.
list-status-invalid = Il filtro dello stato non è valido: scegli aperto, in lavorazione o chiuso.
list-category-invalid = Il filtro della categoria non è valido: scegli gestione edifici, informatica o servizi.
list-search-too-long = Il testo di ricerca può avere al massimo { $max } caratteri.
list-go-not-a-number = Scrivi il numero di un ticket, per esempio 334 o #334.
list-go-no-ticket = Non esiste il ticket n. { $id }.
list-go-not-found = Il ticket n. { $id } non è stato trovato, oppure è chiuso. I ticket chiusi sono visibili solo allo staff dell'helpdesk; se l'hai segnalato tu, aprilo con il suo link privato.
list-go-unreachable = Il servizio dei ticket non è raggiungibile in questo momento; riprova tra poco.

## Reporting a problem (tickets/new.html) and the files of a form

new-lead = Di' cosa non va e dove. L'helpdesk lo assegna automaticamente a gestione edifici, informatica o servizi.
new-title-hint = Un breve riassunto, per esempio «Ascensore dell'edificio B bloccato al terzo piano».
new-description-hint = Cosa è successo, dove, da quando.
new-hint-waiting = Qui appare, mentre scrivi, dove andrà probabilmente la segnalazione.
new-email = E-mail per gli aggiornamenti
new-email-hint = Quando l'helpdesk risponde o cambia lo stato, ricevi un'e-mail con un link privato al tuo ticket. Solo l'helpdesk vede l'indirizzo; ogni e-mail ha un link per non riceverne più.
new-email-off = Gli aggiornamenti via e-mail non sono disponibili in questo helpdesk; annota il numero del ticket per ritrovarlo.
new-send = Invia la segnalazione
# $each: "10 MiB"
files-hint = Foto (PNG o JPEG) o documenti PDF: fino a { $count ->
        [one] { $count } file
       *[other] { $count } file
    }, { $each } ciascuno.
files-choose-again = Il tuo testo è conservato, ma scegli di nuovo i file.

## Error pages (error.html)

error-code = Errore { $status }
error-to-list = Vai all'elenco dei ticket
error-start-page = Pagina iniziale
error-not-found-heading = Non trovato
error-forbidden-heading = Non per questo ruolo
error-bad-request-heading = La richiesta non è andata a buon fine
error-unavailable-heading = Servizio non disponibile
# $service: tickets or analytics
error-unavailable = Il { $service ->
        [analytics] servizio di analisi
       *[tickets] servizio dei ticket
    } non è raggiungibile in questo momento, quindi questa pagina non si può mostrare. Riprova tra un minuto.
error-internal-heading = Qualcosa è andato storto
error-internal = Questa pagina non si è potuta mostrare per un errore da parte nostra. Riprova; se succede ancora, avvisa l'helpdesk.
error-no-page = A questo indirizzo non c'è nessuna pagina. Forse è stata spostata, o il link è scritto male.
error-method-heading = Non disponibile così
error-method = Questo indirizzo non si può usare così. Ricomincia dall'elenco dei ticket.
error-bad-query = Non è stato possibile leggere l'indirizzo: una delle impostazioni dopo il «?» ha un valore che questa pagina non capisce. Torna indietro e usa i link e i moduli della pagina.
error-form-refused-heading = Modulo non accettato
error-form-refused = Questo modulo non è stato accettato, quindi non è cambiato nulla. I moduli di campusdesk sono accettati solo se inviati dalle pagine di campusdesk; una pagina altrove non può inviarli al posto tuo. Se l'hai inviato da qui, la pagina forse è vecchia: ricaricala e invia di nuovo il modulo.
error-form-too-large-heading = Modulo troppo grande
error-form-too-large = Questo modulo supera i { $limit } MiB che l'helpdesk accetta, quindi non è cambiato nulla. Accorcia il testo e invialo di nuovo.

## Shared parts of pages (macros.html)

check-mark = da verificare
check-mark-title = La categoria automatica è incerta: verificala
attachments-label = Allegati
attachment-photo-alt = Foto { $name } (apri a grandezza intera)
errors-heading = { $count ->
        [one] Correggi questo prima di inviare:
       *[other] Correggi questi { $count } punti prima di inviare:
    }

## The category preview while typing a report (hint.rs)

hint-filed-under = Probabilmente sarà classificato come: { $category } ({ $percent })
hint-unreadable = Non è stato possibile leggere il testo.
hint-empty = Scrivi prima un titolo o una descrizione.
hint-unreachable = Il servizio dei ticket non è raggiungibile in questo momento; la categoria comparirà dopo l'invio della segnalazione.

## Text used by the page scripts (static/*.js)

# count.js
script-count = { $used } di { $max } caratteri
script-count-over = { $used } di { $max } caratteri: { $over } di troppo
script-count-now-over = Oltre il limite di { $max } caratteri.
script-count-back = Di nuovo entro il limite di { $max } caratteri.
# hint.js
script-hint-uncertain = { $hint }. Non è ancora sicuro: qualche dettaglio in più aiuta.
script-hint-words = Parole decisive: { $words }
# keys.js
script-keys-title = Scorciatoie da tastiera
script-keys-intro = Funzionano quando non stai scrivendo in un campo. Esc chiude questo riquadro.
script-key-search = Cerca nell'elenco dei ticket
script-key-next = Ticket successivo nell'elenco
script-key-previous = Ticket precedente nell'elenco
script-key-open = Apri il ticket selezionato (funziona anche Invio)
script-key-start = Inizia il lavoro su questo ticket
script-key-close = Chiudi questo ticket (chiede prima conferma)
script-key-reply = Scrivi un messaggio su questo ticket
script-key-help = Mostra queste scorciatoie
script-keys-done = Chiudi
