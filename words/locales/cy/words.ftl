# Geiriau cyffredin Kith: arian, oriau, dyddiadau, faint yn ôl, mathau o restriad.
#
# NEEDS REVIEW by a native Welsh speaker: these translations were written by the
# project and have not yet been checked: see words/locales/README.md.

## Money and hours

pay-unpaid = Di-dâl
pay-per-hour = { $amount } yr awr
pay-per-session = { $amount } y sesiwn
pay-per-day = { $amount } y dydd
pay-expenses = { $pay }, talir treuliau
rate-note = { $rate } ({ $note })
hours-a-week = { $hours ->
    [zero] { $hours } awr yr wythnos
    [one] { $hours } awr yr wythnos
    [two] { $hours } awr yr wythnos
    [few] { $hours } awr yr wythnos
    [many] { $hours } awr yr wythnos
   *[other] { $hours } awr yr wythnos
}
work-hours = { $n ->
   *[other] { $hours } awr
}
week-earned-booked = { $earned } (+{ $booked } wedi'u trefnu)
week-limit-left = { $earned } o { $limit } — { $left } ar ôl
week-limit-over = { $earned } o { $limit } — { $over } dros y terfyn

## Dates and times

month-1 = Ionawr
month-2 = Chwefror
month-3 = Mawrth
month-4 = Ebrill
month-5 = Mai
month-6 = Mehefin
month-7 = Gorffennaf
month-8 = Awst
month-9 = Medi
month-10 = Hydref
month-11 = Tachwedd
month-12 = Rhagfyr
date = { $day } { $month } { $year }
weekday-monday = Dydd Llun
weekday-tuesday = Dydd Mawrth
weekday-wednesday = Dydd Mercher
weekday-thursday = Dydd Iau
weekday-friday = Dydd Gwener
weekday-saturday = Dydd Sadwrn
weekday-sunday = Dydd Sul
day-date = { $weekday } { $date }
ago-never = byth
ago-just-now = newydd ddigwydd
ago-minutes = { $n ->
    [zero] { $n } munud yn ôl
    [one] { $n } munud yn ôl
    [two] { $n } funud yn ôl
    [few] { $n } munud yn ôl
    [many] { $n } munud yn ôl
   *[other] { $n } munud yn ôl
}
ago-hours = { $n ->
    [zero] { $n } awr yn ôl
    [one] { $n } awr yn ôl
    [two] { $n } awr yn ôl
    [few] { $n } awr yn ôl
    [many] { $n } awr yn ôl
   *[other] { $n } awr yn ôl
}
ago-days = { $n ->
    [zero] { $n } diwrnod yn ôl
    [one] { $n } diwrnod yn ôl
    [two] { $n } ddiwrnod yn ôl
    [few] { $n } diwrnod yn ôl
    [many] { $n } diwrnod yn ôl
   *[other] { $n } diwrnod yn ôl
}
schedule-by-appointment = drwy apwyntiad
schedule-days-by-appointment = { $days } drwy apwyntiad

## Distances

distance-under-1 = llai nag 1 km
distance-km = { $km } km

## Kinds of work

kind-paid-job = Swydd gyflogedig
kind-training = Hyfforddiant
kind-volunteering = Gwirfoddoli
kind-peer-teaching = Addysgu gan gymheiriaid
kind-paid-involvement = Cyfranogiad â thâl
kind-apprenticeship = Prentisiaeth
kind-social-enterprise = Menter gymdeithasol

## Who a safe house is for

for-women = menywod
for-men = dynion
for-trans-nonbinary = pobl draws ac anneuaidd
for-lgbtq = pobl LHDTC+
for-black-minority-ethnic = pobl Ddu ac o leiafrifoedd ethnig
for-young-adults = oedolion ifanc
for-anyone = unrhyw un

## Kinds of service

category-employment-support = Cymorth cyflogaeth
category-benefits-and-money = Cyngor ar fudd-daliadau ac arian
category-housing = Tai
category-training-and-education = Hyfforddiant ac addysg
category-peer-support = Cymorth gan gymheiriaid
category-crisis = Cymorth mewn argyfwng
category-arts-and-leisure = Celfyddydau a hamdden
category-health = Iechyd
category-legal-and-advocacy = Eiriolaeth gyfreithiol a hawliau
category-food = Bwyd
category-family-and-carers = Teuluoedd a gofalwyr
category-digital-inclusion = Cynhwysiant digidol
category-drugs-and-alcohol = Cyffuriau ac alcohol
category-community-and-social = Cymuned a chymdeithasu
category-transport = Trafnidiaeth
