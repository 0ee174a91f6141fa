# The printed directory (PDF and HTML). English is the source language.

directory-title = Directory of { $region }
directory-printed = Printed { $date }
directory-all-areas = All areas
directory-in-or-near = Listings in or near { $area }
directory-changes-quickly = What is open changes quickly.
directory-call-before = Closing dates and beds free were right when this was printed. Please call before you go: every entry says how to get in touch and when it was last confirmed.
directory-on-the-board = What is open now, and beds free now, is on the board:
directory-listed-by = Listed by the user-led groups of { $region }: peer groups, co-ops, crisis and safe-house collectives. The index of hubs at the end says how to reach each group.
directory-contents = Contents
directory-nothing-here = Nothing is listed here at the moment.
directory-index = Index of hubs
directory-index-about = The groups whose listings are in this directory, and how to reach them.
directory-contact = Contact:
directory-helpline = Helpline:
directory-page = Page
directory-more = More are listed than a printed directory holds: search the board for them, or print one area at a time.
directory-online = Online or by phone
directory-last-confirmed = Last confirmed { $date }
directory-nothing-listed = Nothing in this directory
directory-listed-here = In this directory: { $list }
count-opportunities = { $n ->
    [one] { $n } opportunity
   *[other] { $n } opportunities
}
count-services = { $n ->
    [one] { $n } service
   *[other] { $n } services
}
count-safe-houses = { $n ->
    [one] { $n } safe house
   *[other] { $n } safe houses
}
count-businesses = { $n ->
    [one] { $n } business
   *[other] { $n } businesses
}

## Sections

section-intro-safe-houses = Somewhere safe to stay instead of hospital or the street. Beds free are printed only while the figure is recent: always call before going.
section-intro-services = Ordinary services and mental-health services, by area.
section-intro-work = Jobs, apprenticeships and social enterprises: ordinary jobs as well as jobs in mental health.
section-intro-involvement = Paid work using your experience of services: panels, training, research, reviews.
section-intro-training = Courses and training, including peer teaching by people with lived experience.
section-intro-volunteering = Unpaid roles. Expenses are paid where it says so.
section-intro-businesses = Businesses run by the members of the region's groups — gardening, decorating, teaching and more — paid by the hour at a fair rate. Book them directly, as each says.

## Entries

entry-beds-free = { $free } of { $total } beds free when printed (reported { $when })
before-printing-just = just before printing
before-printing-minutes = { $n ->
    [one] { $n } minute before printing
   *[other] { $n } minutes before printing
}
before-printing-hours = { $n ->
    [one] { $n } hour before printing
   *[other] { $n } hours before printing
}
before-printing-days = { $n ->
    [one] { $n } day before printing
   *[other] { $n } days before printing
}
entry-beds-call = Beds free: call to check
entry-for = For { $who }
entry-stays = { $n ->
    [one] Stays of up to { $n } night
   *[other] Stays of up to { $n } nights
}
entry-wheelchair = Wheelchair access
entry-self-referral = You can refer yourself
entry-referral-needed = Referral needed
entry-safe-house = { $beds ->
    [one] Safe house, { $beds } bed
   *[other] Safe house, { $beds } beds
}
entry-open = Open { $hours }
entry-free = Free
entry-costs = Costs: { $fees }
entry-also-in = Also in { $languages }
entry-mental-health-service = { $kinds } (mental health)
entry-works-in = Works in { $areas }
entry-to-book = To book: { $how }
entry-closes = Closes { $date }
entry-from-home = Can be done from home
entry-support = Support: { $support }
entry-lived-experience = For people with lived experience of mental-health services
entry-to-apply = To apply: { $how }
entry-ordinary-job = { $kind }, ordinary job
entry-in-mental-health = { $kind }, in mental health

## What the region is missing

missing-heading = What the region is missing
missing-intro = For commissioners: what people looked for on the board and the helpline screen in week { $week } and did not find, and the hours with no safe-house bed free.
missing-none = No figure to show this week.
missing-people = { $n ->
    [one] { $area }: { $what } — { $n } person
   *[other] { $area }: { $what } — { $n } people
}
missing-term = { $n ->
    [one] { $area }: “{ $what }” — { $n } person
   *[other] { $area }: “{ $what }” — { $n } people
}
missing-no-bed = { $area }: no bed free for { $who } — { $hours } hours
missing-work = { $jobs ->
    [one] Work no group's pool could take: { $work } ({ $why }) — { $jobs } job
   *[other] Work no group's pool could take: { $work } ({ $why }) — { $jobs } jobs
}
missing-note = Each figure counts people, each once a day; a figure of fewer than { $threshold } people is not shown, nor one a total would give away. Work no pool could take counts jobs booked. Published under the { $licence }.
