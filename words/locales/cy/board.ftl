# Y bwrdd: tudalennau gwe'r ras gyfnewid, sgriniau'r llinell gymorth a'r ward,
# "Gofyn am hyn" a'r hyn sydd ar goll yn y rhanbarth.
#
# NEEDS REVIEW by a native Welsh speaker: these translations were written by the
# project and have not yet been checked: see words/locales/README.md.

## The page around every page

page-title = { $title } — Kith { $region }
board-name = Kith { $region }
skip-to-main = Neidio i'r prif gynnwys
nav-board = Bwrdd
nav-languages = Iaith
nav-search = Gwaith, hyfforddiant a gwasanaethau
nav-safe-houses = Tai diogel nawr
nav-hubs = Hybiau
nav-helpline = Llinell gymorth
nav-directory = Argraffu cyfeiriadur
nav-needs = Beth sydd ar goll
footer-listed-by = Wedi'u rhestru gan grwpiau dan arweiniad defnyddwyr { $region }. Does dim data personol yma; ni osodir cwcis.
footer-distances = Mae pellteroedd rhwng canol ardaloedd cod post.
back-to-search = Yn ôl i'r chwilio
page-not-found = Heb ddod o hyd i'r dudalen
page-not-found-detail = Does dim tudalen yn y cyfeiriad hwn.
too-many-live = Gormod o dudalennau byw
too-many-live-detail = Ail-lwythwch y dudalen i weld beth newidiodd.
busy = Mae'r bwrdd yn brysur
busy-detail = Mae gormod o chwiliadau'n rhedeg ar hyn o bryd. Rhowch gynnig arall arni mewn eiliad.
busy-slow = Cymerodd y chwilio ormod o amser. Defnyddiwch lai o eiriau, neu ardal lai.
not-found = Heb ddod o hyd iddo
not-found-listing = Efallai bod ei hyb wedi'i dynnu'n ôl, neu mae'r cyfeiriad yn anghywir.
not-found-ask = Efallai bod ei grŵp wedi'i dynnu'n ôl, neu mae'r cyfeiriad yn anghywir.
form-unreadable = Doedd dim modd darllen y ffurflen
form-unreadable-ask = Ewch yn ôl i'r rhestriad a rhowch gynnig arall arni.
form-unreadable-back = Ewch yn ôl a rhowch gynnig arall arni.
not-available = Ddim ar gael
try-again-later = Rhowch gynnig arall arni'n nes ymlaen.
unknown-kind = Math anhysbys
yes = Ie
no = Na
any = Unrhyw fath
and = a

## Places

where = Ble?
where-hint = Tref, neu ardal cod post fel { $example }: daw'r agosaf yn gyntaf
no-such-district = Does dim ardal cod post { $district }: gwiriwch hi, neu teipiwch dref.
place-problem = { $problem }: gwiriwch ef, neu teipiwch dref.
nothing-in-nearest = Dim byd yn { $area }; yr agosaf:
away = { $distance } i ffwrdd
where-away = { $area }, { $distance } i ffwrdd

## Search

search-title = Chwilio
search-heading = Beth sydd ar agor i chi, yn agos at yma
search-q = Am beth ydych chi'n chwilio?
search-q-hint = Er enghraifft: garddio, gwaith caffi, cyngor ar fudd-daliadau, grŵp cymheiriaid
search-what = Yn chwilio am
search-what-all = Gwaith, hyfforddiant a gwasanaethau
search-what-work = Gwaith, hyfforddiant a gwirfoddoli yn unig
search-what-services = Gwasanaethau yn unig
search-what-businesses = Busnesau y gallwch eu llogi yn unig
search-kind = Math o waith
search-category = Math o wasanaeth
search-only = Dim ond
search-only-ordinary = Swyddi a gwasanaethau cyffredin (nid rhai iechyd meddwl yn unig)
search-only-paid = Gwaith â thâl
search-only-remote = Gweithio gartref
search-only-open = Gwasanaethau sydd ar agor nawr
search-only-free = Gwasanaethau am ddim
search-only-limit = Gwaith o fewn y terfyn enillion ({ $limit } yr wythnos)
search-button = Chwilio
too-many-words = Gormod o eiriau
too-many-words-detail = Defnyddiwch 16 gair ar y mwyaf (rhoesoch { $n }).
results-count = { $n ->
    [zero] Dim canlyniadau
    [one] { $n } canlyniad
    [two] { $n } ganlyniad
    [few] { $n } chanlyniad
    [many] { $n } chanlyniad
   *[other] { $n } canlyniad
}
results-work = Gwaith, hyfforddiant a gwirfoddoli ({ $n }{ $more })
results-work-limit = Mae gwaith wedi'i farcio yn erbyn y terfyn enillion wythnosol o { $limit }.
benefits-advice = Gofynnwch am fudd-daliadau a gwaith:
results-work-none = Does dim yn cyfateb. Defnyddiwch lai o eiriau, neu ardal arall.
results-services = Gwasanaethau ({ $n }{ $more })
results-services-none = Does dim gwasanaethau'n cyfateb. Defnyddiwch lai o eiriau, neu ardal arall.
results-businesses = Busnesau y gallwch eu llogi ({ $n }{ $more })
results-businesses-about = Gwaith gan fusnesau grwpiau'r rhanbarth, wedi'i dalu fesul awr.
results-businesses-none = Does dim busnesau'n cyfateb. Defnyddiwch lai o eiriau, neu ardal arall.
or-from-home = neu o gartref
in-mental-health = mewn gwasanaethau iechyd meddwl
label-pay = Tâl:
label-hours = Oriau:
label-closes = Yn cau:
label-support = Cymorth:
label-how-to-apply = Sut i wneud cais:
label-rate = Cyfradd:
label-phone = Ffôn:
label-to-book = I logi:
label-cost = Cost:
label-how-to-get-it = Sut i'w gael:
label-contact = Cysylltu:
label-helpline = Llinell gymorth:
today-mark = (heddiw)
within-limit = O fewn y terfyn enillion o { $limit } yr wythnos ({ $weekly } yr wythnos)
over-limit = Dros y terfyn enillion o { $limit } yr wythnos ({ $weekly } yr wythnos)
pays-below-fair = Yn talu llai na'r gyfradd deg o { $fair } yr awr
charges-below-fair = Yn codi llai na'r gyfradd deg o { $fair } yr awr
open-now = Ar agor nawr
hours-ask = gofynnwch
cost-free = Am ddim
cost-ask = Gofynnwch am y gost
cost-ask-short = Gofynnwch
not-confirmed-since = Heb ei gadarnhau ers { $date } — ffoniwch i wirio
never-confirmed = Heb ei gadarnhau erioed — ffoniwch i wirio

## A listing's page

row-listed-by = Wedi'i restru gan
row-contact = Cysylltu
row-pay = Tâl
row-hours = Oriau
row-closes = Yn cau
row-skills = Sgiliau
row-support = Cymorth a gynigir
row-lived-experience = Profiad bywyd
lived-experience-required = Yn ofynnol
lived-experience-welcome = Croeso, ond nid yn ofynnol
row-how-to-apply = Sut i wneud cais
row-phone = Ffôn
row-where = Ble
row-cost = Cost
row-who-for = I bwy mae e
row-how-to-get-it = Sut i'w gael
row-refer-yourself = Atgyfeirio'ch hun
row-languages = Ieithoedd
row-access = Mynediad
row-email = E-bost
row-website = Gwefan
row-run-by = Yn cael ei redeg gan
row-last-confirmed = Cadarnhawyd ddiwethaf
row-rate = Cyfradd
row-what-it-does = Beth mae'n ei wneud
row-where-it-works = Ble mae'n gweithio
row-how-to-book = Sut i logi
row-beds = Gwelyau
row-wheelchair = Mynediad i gadeiriau olwyn
row-longest-stay = Yr arhosiad hiraf
about-it = Amdano
business-of = Busnes gan { $hub }
exit-page = Gadael y dudalen hon
danger-call-999 = Os ydych chi mewn perygl nawr, ffoniwch 999.
bed-call = I holi am wely yma, ffoniwch:
house-for = i { $who }
refer-no-ask-worker = Na: gofynnwch i weithiwr eich atgyfeirio
nights = { $n ->
    [zero] { $n } noson
    [one] { $n } noson
    [two] { $n } noson
    [few] { $n } noson
    [many] { $n } noson
   *[other] { $n } noson
}
address-by-phone = Rhoddir y cyfeiriad dros y ffôn, byth yma.
availability-reported = Adroddwyd am welyau { $ago }.

## Safe houses and hubs

beds-free-now = Gwelyau'n rhydd nawr
beds-none-free = Dim un yn rhydd
beds-free = { $n } yn rhydd
beds-updated = (diweddarwyd { $ago })
beds-unknown = Anhysbys — ffoniwch i wirio
safe-houses-heading = Tai diogel nawr
who-for = I bwy
who-for-anyone = Unrhyw un
houses-for = Tai i { $who }
show-houses = Dangos tai
no-houses-match = Does dim tai diogel yn cyfateb.
houses-caption = Gwelyau'n rhydd fel yr adroddodd pob tŷ ddiwethaf. Dangosir ffigur sy'n rhy hen fel un anhysbys.
col-house = Tŷ
col-for = I bwy
col-area = Ardal
col-phone = Ffôn
col-kind = Math
col-people = Pobl
col-word = Gair
col-hours = Oriau
col-work = Gwaith
col-why = Pam
col-jobs = Swyddi
listed-by = Wedi'i restru gan { $hub }
houses-update-themselves = Mae'r rhestr hon yn diweddaru ohoni'i hun pan fydd tŷ yn adrodd am ei welyau.
hubs-heading = Hybiau { $region }
hubs-about = Grwpiau dan arweiniad defnyddwyr: grwpiau cymheiriaid, cwmnïau cydweithredol, cydweithfeydd argyfwng a thai diogel.
hubs-roster = Mae pob hyb yma ar gofrestr y rhanbarth, wedi'i llofnodi gan ei chydlynydd, ac fe'i dangosir wrth yr enw sydd ar y gofrestr.
hubs-no-roster = Does gan y rhanbarth hwn ddim cofrestr: rhestrir hyb wrth yr enw mae'n ei roi iddo'i hun. Lle mae dau'n rhoi'r un enw, dangosir pob un gyda'i ddynodwr hyb.
hubs-none = Does dim hyb wedi'i weld eto.
hubs-range = Hybiau { $first } i { $last } o { $all }
hub-on-roster = Ar gofrestr y rhanbarth (dynodwr hyb { $hub })
hub-counts = { $opportunities ->
    [zero] dim cyfleoedd
    [one] { $opportunities } cyfle
    [two] { $opportunities } gyfle
    [few] { $opportunities } chyfle
    [many] { $opportunities } chyfle
   *[other] { $opportunities } cyfle
}, { $services ->
    [zero] dim gwasanaethau
    [one] { $services } gwasanaeth
    [two] { $services } wasanaeth
    [few] { $services } gwasanaeth
    [many] { $services } gwasanaeth
   *[other] { $services } gwasanaeth
}, { $businesses ->
    [zero] dim busnesau
    [one] { $businesses } busnes
    [two] { $businesses } fusnes
    [few] { $businesses } busnes
    [many] { $businesses } busnes
   *[other] { $businesses } busnes
}, { $houses ->
    [zero] dim tai diogel
    [one] { $houses } tŷ diogel
    [two] { $houses } dŷ diogel
    [few] { $houses } thŷ diogel
    [many] { $houses } thŷ diogel
   *[other] { $houses } tŷ diogel
}
last-seen = Gwelwyd ddiwethaf { $ago }
hub-diverged = Efallai bod rhai o'i restriadau ar goll yma ers { $ago }; gofynnwyd i'r hyb eu hanfon eto.
hubs-pages = Tudalennau o hybiau
previous-page = Tudalen flaenorol
next-page = Tudalen nesaf

## The helpline and the ward screen

helpline-where = Ble mae'r galwr?
helpline-want = Beth maen nhw ei eisiau?
want-safe = Lle diogel heno
want-service = Gwasanaeth (cyngor, bwyd, cymorth…)
want-work = Gwaith neu wirfoddoli
want-training = Hyfforddiant neu ddysgu
helpline-find = Dod o hyd i'r hyn sydd ar agor
open-now-near = Ar agor nawr ger { $area }
helpline-nothing-region = Does dim byd ar agor yn y rhanbarth yn cyfateb. Rhowch gynnig ar "Unrhyw un", neu fath arall o help.
helpline-nothing = Heb ddod o hyd i ddim. Rhowch gynnig ar ardal ehangach, neu gadewch yr ardal yn wag.
helpline-checked = Gwiriwyd am { $time }. Darllenwch y rhifau'n gyntaf; mae'r dudalen hon yn argraffu ar un ddalen.
line-no-beds = dim gwelyau'n rhydd nawr
line-beds-free = { $n ->
    [zero] dim gwelyau'n rhydd nawr
    [one] { $n } gwely'n rhydd nawr
    [two] { $n } wely'n rhydd nawr
    [few] { $n } gwely'n rhydd nawr
    [many] { $n } gwely'n rhydd nawr
   *[other] { $n } gwely'n rhydd nawr
}
line-beds-unknown = gwelyau'n anhysbys, ffoniwch i wirio
line-house = {" "}({ $place }): { $beds }; i { $who }
line-open-now = ar agor nawr
line-not-open-now = ddim ar agor nawr
line-service = : { $kinds }; { $when }
line-service-away = {" "}({ $distance } i ffwrdd): { $kinds }; { $when }
line-work = {" "}({ $kind }, { $place }): { $pay }
slide-safe = Tai diogel
slide-service = Gwasanaethau gerllaw
slide-work = Gwaith a gwirfoddoli
slide-training = Hyfforddiant a dysgu
screen-nothing = Does dim wedi'i restru yma ar hyn o bryd. Gofynnwch i aelod o staff.
screen-call = Ffoniwch
screen-slide-of = { $n } o { $all }.
screen-resume = Symud ymlaen ohono'i hun
screen-changes-every = Yn newid bob { $secs } eiliad.
screen-pause = Oedi
screen-next = Nesaf

## Ask about this

ask-heading = Gofyn am hyn
ask-them = Gofynnwch i { $hub } amdano.
call-them = Ffoniwch { $hub }:
ask-intro = Gadewch eich enw a sut i gysylltu â chi, a bydd { $hub } yn cysylltu â chi.
ask-or-call = Neu ffoniwch nhw:
error-summary = Mae problem
ask-name = Eich enw neu'ch enw cyntaf
ask-how = Sut dylen nhw gysylltu â chi?
ask-how-phone = Ffoniwch fi
ask-how-text = Anfonwch neges destun ata i
ask-how-email = Anfonwch e-bost ata i
ask-how-none = Peidiwch â chysylltu â fi — bydda i'n eich ffonio chi
ask-reach = Rhif ffôn neu gyfeiriad e-bost
ask-reach-hint = Gadewch yn wag os byddwch chi'n eu ffonio nhw.
ask-when = Pryd mae'n amser da? (dewisol)
ask-words = Ychydig eiriau (dewisol)
ask-consent = Rwy'n cytuno bod hyn yn cael ei drosglwyddo i { $hub }, ac i neb arall.
ask-trap = Gadewch hwn yn wag
ask-send = Anfon
ask-sealing = Dim ond { $hub } all ddarllen yr hyn a ysgrifennwch: caiff ei selio i'w hallwedd cyn iddo adael y dudalen hon (neu, os nad yw sgript y dudalen yn rhedeg, gan y bwrdd cyn gynted ag y mae'n cyrraedd). Dim ond am ba restriad yr oedd y mae'r bwrdd yn ei gadw.
ask-error-how = Dewiswch sut dylen nhw gysylltu â chi, neu y byddwch chi'n eu ffonio
ask-error-name = Rhowch eich enw neu'ch enw cyntaf
ask-error-consent = Ticiwch y blwch i gytuno bod hyn yn cael ei drosglwyddo i'r grŵp
ask-error-email = Rhowch gyfeiriad e-bost, fel sam@example.org
ask-error-phone = Rhowch rif ffôn, fel 07700 900123
ask-error-when = Dywedwch pryd mewn llai o eiriau
ask-error-words = Defnyddiwch lai o eiriau
ask-about = Gofyn am { $title }
back-to = Yn ôl i { $title }
not-sent = Heb ei anfon
not-sent-cross-site = Dim ond o dudalennau'r bwrdd hwn y caiff cais ei anfon.
not-sent-client = Mae'r cyfeiriad hwn wedi anfon sawl cais mewn amser byr, felly ni anfonwyd yr un hwn. Rhowch gynnig arall arni'n nes ymlaen.
not-sent-hub-cap = Mae { $hub } wedi cael cymaint o geisiadau ag y gallan nhw eu cymryd heddiw, felly ni anfonwyd yr un hwn.
not-sent-closed = Dyw { $hub } ddim yn cymryd ceisiadau am hyn ar hyn o bryd.
not-sent-invalid = Doedd dim modd darllen yr hyn a anfonwyd, felly ni anfonwyd dim.
not-sent-unavailable = Ni allai'r bwrdd ei anfon ar hyn o bryd, felly ni anfonwyd dim. Rhowch gynnig arall arni ymhen ychydig funudau.
you-can-call = Gallwch ffonio { $hub }:
sent = Wedi'i anfon
sent-to = Wedi'i anfon at { $hub }
your-reference = Eich cyfeirnod yw
keep-it = Cadwch ef:
the-page-for = mae'r dudalen ar gyfer
reference-page-shows = yn dangos a yw { $hub } wedi derbyn eich cais ac wedi cysylltu. Ni ddangosir dim a ysgrifennoch chi yno.
rather-call = Os byddai'n well gennych eu ffonio:
give-reference = Rhowch eich cyfeirnod iddyn nhw.
not-a-reference = Nid cyfeirnod yw hwn
not-a-reference-detail = Mae gan gyfeirnod ddeg llythyren a digid, fel 7KQ2-M9XD-4T. Gwiriwch ef a rhowch gynnig arall arni.
unknown-reference = Dydyn ni ddim yn adnabod y cyfeirnod hwn
unknown-reference-detail = Gwiriwch ef a rhowch gynnig arall arni. Mae cais a anfonwyd drwy fwrdd arall yn y rhanbarth yn ymddangos yma unwaith y bydd gan y grŵp ef.
ask-reference = Cais
status-sent = Yn aros i { $hub } ei gasglu. Mae grwpiau'n casglu ceisiadau pan fydd eu hyb ar-lein; gall gymryd amser.
status-received-heading = Wedi'i dderbyn
status-received = Mae { $hub } wedi derbyn eich cais. Byddan nhw'n cysylltu â chi fel y gofynnoch chi.
status-contacted-heading = Wedi cysylltu
status-contacted = Mae { $hub } wedi cysylltu, neu wedi ceisio gwneud.
status-closed-heading = Wedi cau
status-closed = Mae { $hub } wedi cau'r cais hwn.
status-not-taken-heading = Heb ei gymryd
status-not-taken = Ni allai { $hub } gymryd eich cais (roedd ganddyn nhw gymaint ag y gallen nhw eu cymryd y diwrnod hwnnw). Ffoniwch nhw a rhowch eich cyfeirnod.
to-reach = I gysylltu â { $hub }:

## What is missing

need-what = Am beth oeddech chi'n chwilio?
need-what-hint = Ychydig eiriau. Cânt eu cyfrif gyda geiriau pobl eraill i ddangos i'r rhanbarth beth sydd ar goll; ni chedwir dim arall, a dim byd amdanoch chi.
need-tell = Dweud wrth y rhanbarth
not-counted = Heb ei gyfrif
not-counted-detail = Dim ond o dudalennau'r bwrdd hwn y dywedir hyn.
thank-you = Diolch
need-counted = Mae'r hyn yr oeddech chi'n chwilio amdano'n cael ei gyfrif gyda'r hyn y chwiliodd eraill amdano, a'i gyhoeddi bob wythnos pan fydd digon o bobl wedi dweud yr un peth:
need-counted-link = beth sydd ar goll yn y rhanbarth
needs-none = Dyw'r ras gyfnewid hon ddim yn cyfrif anghenion.
needs-unreadable = Does dim modd darllen y ffigurau ar hyn o bryd.
needs-hidden = llai na { $threshold }, neu wedi'i guddio
needs-chart = Pobl a chwiliodd am bob math o beth a heb ddod o hyd i ddim, yr wythnos hon
needs-heading = Beth sydd ar goll yn y rhanbarth
needs-about = Chwiliadau ar y bwrdd hwn a'i sgrin llinell gymorth na ddaeth o hyd i ddim, yr hyn y dywedodd pobl eu bod yn chwilio amdano, a gwaith a logwyd gyda chronfeydd y grwpiau na allai neb ei gymryd, fesul wythnos. Mae ffigur yn cyfrif pobl, pob un unwaith y dydd, byth chwiliadau; ni chedwir cyfeiriad, cwci na dim manylach nag ardal cod post neu wythnos. Ni ddangosir ffigur o lai na { $threshold } o bobl, na ffigur arall lle byddai cyfanswm yn ei ddatgelu.
needs-open-data = Fel data agored:
needs-csv = CSV
needs-json = JSON
needs-under = o dan y
needs-this-week = Yr wythnos hon ({ $week })
needs-nothing-yet = Dim i'w ddangos eto'r wythnos hon.
needs-no-week = Does gan ddim un o'r { $weeks } wythnos diwethaf ffigur i'w ddangos.
needs-week = Wythnos { $week }
needs-kinds-caption = Chwilio amdano a heb ddod o hyd iddo, fesul ardal a math (pobl)
needs-terms-caption = Geiriau y chwiliodd pobl amdanyn nhw (pobl)
needs-beds-caption = Oriau heb wely tŷ diogel yn rhydd (neu heb ddweud), fesul ardal ac i bwy mae'r tai
needs-work-caption = Gwaith a logwyd gyda chronfeydd y grwpiau na allai neb ei gymryd (swyddi)
need-anything = Unrhyw beth
need-work = Gwaith
need-training = Hyfforddiant
need-service = Gwasanaeth
need-business = Busnes i'w logi
need-safe-place = Lle diogel
need-for = { $what } i { $who }
need-anywhere = Unrhyw le
need-unknown-place = Ddim yn lle hysbys

## Printing a directory

directory-about = Cyfeiriadur o { $region } i'w argraffu, ei osod ar wal neu ei roi i rywun: yr hyn sydd wedi'i restru, fesul math ac ardal, gyda sut i gysylltu a phryd y cadarnhawyd pob cofnod ddiwethaf. Mae'n PDF y gall darllenwyr sgrin ei ddarllen.
directory-where-hint = Tref, neu ddechrau cod post fel LS neu LS6. Gadewch yn wag ar gyfer y rhanbarth cyfan.
directory-include = Beth i'w gynnwys
directory-include-hint = Mae dim wedi'i dicio yn golygu popeth.
directory-large-print = Print bras (teip 16 pwynt)
directory-language = Iaith y cyfeiriadur
directory-make = Gwneud y PDF
directory-takes-time = Gall gwneud y PDF gymryd ychydig eiliadau.
directory-busy = Mae cyfeiriadur arall yn cael ei wneud
directory-busy-detail = Rhowch gynnig arall arni ymhen munud.
directory-failed = Doedd dim modd gwneud y cyfeiriadur
section-safe-houses = Tai diogel
section-services = Gwasanaethau
section-work = Gwaith
section-involvement = Cyfranogiad â thâl
section-training = Hyfforddiant ac addysgu gan gymheiriaid
section-volunteering = Gwirfoddoli
section-businesses = Gwaith y gallwch ei logi gan grwpiau'r rhanbarth
