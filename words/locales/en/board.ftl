# The board: the relay's web pages, its helpline and ward screens, "Ask about this"
# and what the region is missing. English is the source language.

## The page around every page

page-title = { $title } — Kith { $region }
board-name = Kith { $region }
skip-to-main = Skip to main content
nav-board = Board
nav-languages = Language
nav-search = Work, training and services
nav-safe-houses = Safe houses now
nav-hubs = Hubs
nav-helpline = Helpline
nav-directory = Print a directory
nav-needs = What is missing
footer-listed-by = Listed by the user-led groups of { $region }. Nothing here is personal data; no cookies are set.
footer-distances = Distances are between the centres of postcode districts.
back-to-search = Back to the search
page-not-found = Page not found
page-not-found-detail = There is no page at this address.
too-many-live = Too many live pages
too-many-live-detail = Reload the page to see what changed.
busy = The board is busy
busy-detail = Too many searches are running just now. Try again in a moment.
busy-slow = The search took too long. Try fewer words, or a smaller area.
not-found = Not found
not-found-listing = It may have been withdrawn by its hub, or the address is wrong.
not-found-ask = It may have been withdrawn by its group, or the address is wrong.
form-unreadable = The form could not be read
form-unreadable-ask = Go back to the listing and try again.
form-unreadable-back = Go back and try again.
not-available = Not available
try-again-later = Try again later.
unknown-kind = Unknown kind
yes = Yes
no = No
any = Any
and = and

## Places

where = Where?
where-hint = A town, or a postcode district such as { $example }: the nearest come first
no-such-district = There is no postcode district { $district }: check it, or type a town.
place-problem = { $problem }: check it, or type a town.
nothing-in-nearest = Nothing in { $area }; nearest:
away = { $distance } away
where-away = { $area }, { $distance } away

## Search

search-title = Search
search-heading = What is open to you, near here
search-q = What are you looking for?
search-q-hint = For example: gardening, café work, benefits advice, a peer group
search-what = Looking for
search-what-all = Work, training and services
search-what-work = Work, training and volunteering only
search-what-services = Services only
search-what-businesses = Businesses you can book only
search-kind = Kind of work
search-category = Kind of service
search-only = Only
search-only-ordinary = Ordinary jobs and services (not only mental-health ones)
search-only-paid = Paid work
search-only-remote = Work from home
search-only-open = Services open now
search-only-free = Free services
search-only-limit = Work within the earnings limit ({ $limit } a week)
search-button = Search
too-many-words = Too many words
too-many-words-detail = Use at most 16 words (you gave { $n }).
results-count = { $n ->
    [0] No results
    [one] { $n } result
   *[other] { $n } results
}
results-work = Work, training and volunteering ({ $n }{ $more })
results-work-limit = Work is marked against the weekly earnings limit of { $limit }.
benefits-advice = Ask about benefits and work:
results-work-none = Nothing matches. Try fewer words, or another area.
results-services = Services ({ $n }{ $more })
results-services-none = No services match. Try fewer words, or another area.
results-businesses = Businesses you can book ({ $n }{ $more })
results-businesses-about = Work done by the businesses of the region's groups, paid by the hour.
results-businesses-none = No businesses match. Try fewer words, or another area.
or-from-home = or from home
in-mental-health = in mental-health services
label-pay = Pay:
label-hours = Hours:
label-closes = Closes:
label-support = Support:
label-how-to-apply = How to apply:
label-rate = Rate:
label-phone = Phone:
label-to-book = To book:
label-cost = Cost:
label-how-to-get-it = How to get it:
label-contact = Contact:
label-helpline = Helpline:
today-mark = (today)
within-limit = Within the { $limit } a week earnings limit ({ $weekly } a week)
over-limit = Over the { $limit } a week earnings limit ({ $weekly } a week)
pays-below-fair = Pays less than the fair rate of { $fair } an hour
charges-below-fair = Charges less than the fair rate of { $fair } an hour
open-now = Open now
hours-ask = ask
cost-free = Free
cost-ask = Ask about cost
cost-ask-short = Ask
not-confirmed-since = Not confirmed since { $date } — call to check
never-confirmed = Never confirmed — call to check

## A listing's page

row-listed-by = Listed by
row-contact = Contact
row-pay = Pay
row-hours = Hours
row-closes = Closes
row-skills = Skills
row-support = Support offered
row-lived-experience = Lived experience
lived-experience-required = Required
lived-experience-welcome = Welcome, not required
row-how-to-apply = How to apply
row-phone = Phone
row-where = Where
row-cost = Cost
row-who-for = Who it is for
row-how-to-get-it = How to get it
row-refer-yourself = Refer yourself
row-languages = Languages
row-access = Access
row-email = Email
row-website = Website
row-run-by = Run by
row-last-confirmed = Last confirmed
row-rate = Rate
row-what-it-does = What it does
row-where-it-works = Where it works
row-how-to-book = How to book
row-beds = Beds
row-wheelchair = Wheelchair access
row-longest-stay = Longest stay
about-it = About it
business-of = A business of { $hub }
exit-page = Exit this page
danger-call-999 = If you are in danger now, call 999.
bed-call = To ask about a bed here, call:
house-for = for { $who }
refer-no-ask-worker = No: ask a worker to refer you
nights = { $n ->
    [one] { $n } night
   *[other] { $n } nights
}
address-by-phone = The address is given on the phone, never here.
availability-reported = Availability reported { $ago }.

## Safe houses and hubs

beds-free-now = Beds free now
beds-none-free = None free
beds-free = { $n } free
beds-updated = (updated { $ago })
beds-unknown = Unknown — call to check
safe-houses-heading = Safe houses now
who-for = Who for
who-for-anyone = Anyone
houses-for = Houses for { $who }
show-houses = Show houses
no-houses-match = No safe houses match.
houses-caption = Beds free as each house last reported them. A figure that is too old is shown as unknown.
col-house = House
col-for = For
col-area = Area
col-phone = Phone
col-kind = Kind
col-people = People
col-word = Word
col-hours = Hours
col-work = Work
col-why = Why
col-jobs = Jobs
listed-by = Listed by { $hub }
houses-update-themselves = This list updates by itself when a house reports its beds.
hubs-heading = The hubs of { $region }
hubs-about = User-led groups: peer groups, co-ops, crisis and safe-house collectives.
hubs-roster = Every hub here is on the region's roster, signed by its coordinator, and is shown by the roster's name for it.
hubs-no-roster = This region has no roster: a hub is listed by the name it gives itself. Where two give the same name, each is shown with its hub id.
hubs-none = No hub has been seen yet.
hubs-range = Hubs { $first } to { $last } of { $all }
hub-on-roster = On the region's roster (hub id { $hub })
hub-counts = { $opportunities ->
    [one] { $opportunities } opportunity
   *[other] { $opportunities } opportunities
}, { $services ->
    [one] { $services } service
   *[other] { $services } services
}, { $businesses ->
    [one] { $businesses } business
   *[other] { $businesses } businesses
}, { $houses ->
    [one] { $houses } safe house
   *[other] { $houses } safe houses
}
last-seen = Last seen { $ago }
hub-diverged = Some of its listings may be missing here since { $ago }; the hub has been asked to send them again.
hubs-pages = Pages of hubs
previous-page = Previous page
next-page = Next page

## The helpline and the ward screen

helpline-where = Where is the caller?
helpline-want = What do they want?
want-safe = A safe place tonight
want-service = A service (advice, food, support…)
want-work = Work or volunteering
want-training = Training or learning
helpline-find = Find what is open
open-now-near = Open now near { $area }
helpline-nothing-region = Nothing open in the region matches. Try "Anyone", or another kind of help.
helpline-nothing = Nothing found. Try a wider area, or leave the area empty.
helpline-checked = Checked { $time }. Read the numbers out first; this page prints on one sheet.
line-no-beds = no beds free now
line-beds-free = { $n ->
    [one] { $n } bed free now
   *[other] { $n } beds free now
}
line-beds-unknown = beds unknown, call to check
line-house = {" "}({ $place }): { $beds }; for { $who }
line-open-now = open now
line-not-open-now = not open now
line-service = : { $kinds }; { $when }
line-service-away = {" "}({ $distance } away): { $kinds }; { $when }
line-work = {" "}({ $kind }, { $place }): { $pay }
slide-safe = Safe houses
slide-service = Services near here
slide-work = Work and volunteering
slide-training = Training and learning
screen-nothing = Nothing listed here just now. Ask a member of staff.
screen-call = Call
screen-slide-of = { $n } of { $all }.
screen-resume = Move on by itself
screen-changes-every = Changes every { $secs } seconds.
screen-pause = Pause
screen-next = Next

## Ask about this

ask-heading = Ask about this
ask-them = Ask { $hub } about it.
call-them = Call { $hub }:
ask-intro = Leave your name and how to reach you, and { $hub } will contact you.
ask-or-call = Or call them:
error-summary = There is a problem
ask-name = Your name or first name
ask-how = How should they contact you?
ask-how-phone = Phone me
ask-how-text = Text me
ask-how-email = Email me
ask-how-none = Don't contact me — I will call you
ask-reach = Phone number or email address
ask-reach-hint = Leave it empty if you will call them.
ask-when = When is a good time? (optional)
ask-words = A few words (optional)
ask-consent = I agree that this is passed to { $hub }, and to no one else.
ask-trap = Leave this empty
ask-send = Send
ask-sealing = Only { $hub } can read what you write: it is sealed to their key before it leaves this page (or, if this page's script does not run, by the board as soon as it arrives). The board keeps only which listing it was about.
ask-error-how = Choose how they should contact you, or that you will call them
ask-error-name = Enter your name or first name
ask-error-consent = Tick the box to agree that this is passed to the group
ask-error-email = Enter an email address, like sam@example.org
ask-error-phone = Enter a phone number, like 07700 900123
ask-error-when = Say when in fewer words
ask-error-words = Use fewer words
ask-about = Ask about { $title }
back-to = Back to { $title }
not-sent = Not sent
not-sent-cross-site = An ask is sent from this board's own pages only.
not-sent-client = This address has sent several asks in a short time, so this one was not sent. Try again later.
not-sent-hub-cap = { $hub } has had as many asks as they can take today, so this one was not sent.
not-sent-closed = { $hub } does not take asks about this just now.
not-sent-invalid = What was sent could not be read, so nothing was sent.
not-sent-unavailable = The board could not send it just now, so nothing was sent. Try again in a few minutes.
you-can-call = You can call { $hub }:
sent = Sent
sent-to = Sent to { $hub }
your-reference = Your reference is
keep-it = Keep it:
the-page-for = the page for
reference-page-shows = shows whether { $hub } has received your ask and been in touch. Nothing you wrote is shown there.
rather-call = If you would rather call them:
give-reference = Give them your reference.
not-a-reference = Not a reference
not-a-reference-detail = A reference has ten letters and digits, like 7KQ2-M9XD-4T. Check it and try again.
unknown-reference = We do not know this reference
unknown-reference-detail = Check it and try again. An ask sent through another board of the region shows here once the group has it.
ask-reference = Ask
status-sent = Waiting for { $hub } to collect it. Groups collect asks when their hub is online; it can take a while.
status-received-heading = Received
status-received = { $hub } has received your ask. They will contact you as you asked.
status-contacted-heading = Contacted
status-contacted = { $hub } has been in touch, or tried to.
status-closed-heading = Closed
status-closed = { $hub } has closed this ask.
status-not-taken-heading = Not taken
status-not-taken = { $hub } could not take your ask (they had as many as they could take that day). Please call them and give your reference.
to-reach = To reach { $hub }:

## What is missing

need-what = What were you looking for?
need-what-hint = A few words. They are counted with others' to show the region what is missing; nothing else is kept, and nothing about you.
need-tell = Tell the region
not-counted = Not counted
not-counted-detail = This is said from this board's own pages only.
thank-you = Thank you
need-counted = What you were looking for is counted with what others looked for, and published each week when enough people have said the same:
need-counted-link = what the region is missing
needs-none = This relay counts no needs.
needs-unreadable = The figures cannot be read just now.
needs-hidden = fewer than { $threshold }, or hidden
needs-chart = People who looked for each kind of thing and found nothing, this week
needs-heading = What the region is missing
needs-about = Searches on this board and its helpline screen that found nothing, what people said they were looking for, and work booked with the groups' pools that none could take, by week. A figure counts people, each once a day, never searches; no address, no cookie and nothing finer than a postcode district or a week is kept. A figure of fewer than { $threshold } people is not shown, and neither is another where a total would give it away.
needs-open-data = As open data:
needs-csv = CSV
needs-json = JSON
needs-under = under the
needs-this-week = This week ({ $week })
needs-nothing-yet = Nothing to show yet this week.
needs-no-week = No week of the last { $weeks } has a figure to show.
needs-week = Week { $week }
needs-kinds-caption = Looked for and not found, by area and kind (people)
needs-terms-caption = Words people looked for (people)
needs-beds-caption = Hours with no safe-house bed free (or none said), by area and who the houses are for
needs-work-caption = Work booked with the groups' pools that none could take (jobs)
need-anything = Anything
need-work = Work
need-training = Training
need-service = A service
need-business = A business to book
need-safe-place = A safe place
need-for = { $what } for { $who }
need-anywhere = Anywhere
need-unknown-place = Not a known place

## Printing a directory

directory-about = A directory of { $region } to print, post on a wall or hand over: what is listed, by kind and area, with how to get in touch and when each entry was last confirmed. It is a PDF that screen readers can read.
directory-where-hint = A town, or the start of a postcode such as LS or LS6. Leave it empty for the whole region.
directory-include = What to include
directory-include-hint = Nothing ticked means everything.
directory-large-print = Large print (16 point type)
directory-language = Language of the directory
directory-make = Make the PDF
directory-takes-time = Making the PDF can take a few seconds.
directory-busy = Another directory is being made
directory-busy-detail = Try again in a minute.
directory-failed = The directory could not be made
section-safe-houses = Safe houses
section-services = Services
section-work = Work
section-involvement = Paid involvement
section-training = Training and peer teaching
section-volunteering = Volunteering
section-businesses = Work you can book from the region's groups
