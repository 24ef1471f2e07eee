-- wrk script for case W1 of bench/run.sh: report a ticket through the ticket service's API
-- (POST /api/v1/tickets, as a campus user). Each request gets a slightly different title and
-- description, so the classifier and the search index see varied text.
--
--   wrk -t2 -c8 -d10s --latency -s bench/create_ticket.lua http://HOST:PORT/api/v1/tickets

local things = { "printer", "wifi", "radiator", "projector", "door lock", "coffee machine", "lift" }
local places = { "library", "lab 3", "room B204", "canteen", "dorm C", "seminar room 12" }
local problems = { "is broken", "does not work", "makes a noise", "keeps failing" }
local sent = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Campusdesk-Role"] = "user"

function request()
    sent = sent + 1
    local thing = things[sent % #things + 1]
    local place = places[math.floor(sent / #things) % #places + 1]
    local problem = problems[sent % #problems + 1]
    local body = string.format(
        '{"title":"The %s in the %s %s","description":"The %s in the %s %s since this morning (report %d)."}',
        thing, place, problem, thing, place, problem, sent)
    return wrk.format(nil, nil, nil, body)
end
