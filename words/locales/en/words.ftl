# Kith's shared words: money, hours, dates, how long ago, kinds of listing.
# English is the source language: every other language's files have the same keys.

## Money and hours

pay-unpaid = Unpaid
pay-per-hour = { $amount } an hour
pay-per-session = { $amount } a session
pay-per-day = { $amount } a day
pay-expenses = { $pay }, expenses paid
rate-note = { $rate } ({ $note })
hours-a-week = { $hours ->
    [one] { $hours } hour a week
   *[other] { $hours } hours a week
}
work-hours = { $n ->
    [one] { $hours } hour
   *[other] { $hours } hours
}
week-earned-booked = { $earned } (+{ $booked } booked)
week-limit-left = { $earned } of { $limit } — { $left } left
week-limit-over = { $earned } of { $limit } — over by { $over }

## Dates and times

month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
date = { $day } { $month } { $year }
weekday-monday = Monday
weekday-tuesday = Tuesday
weekday-wednesday = Wednesday
weekday-thursday = Thursday
weekday-friday = Friday
weekday-saturday = Saturday
weekday-sunday = Sunday
day-date = { $weekday } { $date }
ago-never = never
ago-just-now = just now
ago-minutes = { $n ->
    [one] { $n } minute ago
   *[other] { $n } minutes ago
}
ago-hours = { $n ->
    [one] { $n } hour ago
   *[other] { $n } hours ago
}
ago-days = { $n ->
    [one] { $n } day ago
   *[other] { $n } days ago
}
schedule-by-appointment = by appointment
schedule-days-by-appointment = { $days } by appointment

## Distances

distance-under-1 = under 1 km
distance-km = { $km } km

## Kinds of work

kind-paid-job = Paid job
kind-training = Training
kind-volunteering = Volunteering
kind-peer-teaching = Peer teaching
kind-paid-involvement = Paid involvement
kind-apprenticeship = Apprenticeship
kind-social-enterprise = Social enterprise

## Who a safe house is for

for-women = women
for-men = men
for-trans-nonbinary = trans and non-binary people
for-lgbtq = LGBTQ+ people
for-black-minority-ethnic = Black and minority ethnic people
for-young-adults = young adults
for-anyone = anyone

## Kinds of service

category-employment-support = Employment support
category-benefits-and-money = Benefits and money advice
category-housing = Housing
category-training-and-education = Training and education
category-peer-support = Peer support
category-crisis = Crisis support
category-arts-and-leisure = Arts and leisure
category-health = Health
category-legal-and-advocacy = Legal and rights advocacy
category-food = Food
category-family-and-carers = Family and carers
category-digital-inclusion = Digital inclusion
category-drugs-and-alcohol = Drugs and alcohol
category-community-and-social = Community and social
category-transport = Transport
