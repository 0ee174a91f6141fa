# Y cyfeiriadur printiedig (PDF a HTML).
#
# NEEDS REVIEW by a native Welsh speaker: these translations were written by the
# project and have not yet been checked: see words/locales/README.md.

directory-title = Cyfeiriadur { $region }
directory-printed = Argraffwyd { $date }
directory-all-areas = Pob ardal
directory-in-or-near = Rhestriadau yn { $area } neu'n agos ato
directory-changes-quickly = Mae'r hyn sydd ar agor yn newid yn gyflym.
directory-call-before = Roedd dyddiadau cau a gwelyau'n rhydd yn gywir pan argraffwyd hwn. Ffoniwch cyn mynd: mae pob cofnod yn dweud sut i gysylltu a phryd y cadarnhawyd ef ddiwethaf.
directory-on-the-board = Mae'r hyn sydd ar agor nawr, a'r gwelyau sy'n rhydd nawr, ar y bwrdd:
directory-listed-by = Wedi'u rhestru gan grwpiau dan arweiniad defnyddwyr { $region }: grwpiau cymheiriaid, cwmnïau cydweithredol, cydweithfeydd argyfwng a thai diogel. Mae mynegai'r hybiau ar y diwedd yn dweud sut i gysylltu â phob grŵp.
directory-contents = Cynnwys
directory-nothing-here = Does dim wedi'i restru yma ar hyn o bryd.
directory-index = Mynegai'r hybiau
directory-index-about = Y grwpiau y mae eu rhestriadau yn y cyfeiriadur hwn, a sut i gysylltu â nhw.
directory-contact = Cysylltu:
directory-helpline = Llinell gymorth:
directory-page = Tudalen
directory-more = Mae mwy wedi'u rhestru nag y gall cyfeiriadur printiedig eu dal: chwiliwch amdanyn nhw ar y bwrdd, neu argraffwch un ardal ar y tro.
directory-online = Ar-lein neu dros y ffôn
directory-last-confirmed = Cadarnhawyd ddiwethaf { $date }
directory-nothing-listed = Dim byd yn y cyfeiriadur hwn
directory-listed-here = Yn y cyfeiriadur hwn: { $list }
count-opportunities = { $n ->
    [zero] { $n } cyfle
    [one] { $n } cyfle
    [two] { $n } gyfle
    [few] { $n } chyfle
    [many] { $n } chyfle
   *[other] { $n } cyfle
}
count-services = { $n ->
    [zero] { $n } gwasanaeth
    [one] { $n } gwasanaeth
    [two] { $n } wasanaeth
    [few] { $n } gwasanaeth
    [many] { $n } gwasanaeth
   *[other] { $n } gwasanaeth
}
count-safe-houses = { $n ->
    [zero] { $n } tŷ diogel
    [one] { $n } tŷ diogel
    [two] { $n } dŷ diogel
    [few] { $n } thŷ diogel
    [many] { $n } thŷ diogel
   *[other] { $n } tŷ diogel
}
count-businesses = { $n ->
    [zero] { $n } busnes
    [one] { $n } busnes
    [two] { $n } fusnes
    [few] { $n } busnes
    [many] { $n } busnes
   *[other] { $n } busnes
}

## Sections

section-intro-safe-houses = Rhywle diogel i aros yn lle'r ysbyty neu'r stryd. Dim ond tra bo'r ffigur yn ddiweddar yr argreffir gwelyau'n rhydd: ffoniwch bob amser cyn mynd.
section-intro-services = Gwasanaethau cyffredin a gwasanaethau iechyd meddwl, fesul ardal.
section-intro-work = Swyddi, prentisiaethau a mentrau cymdeithasol: swyddi cyffredin yn ogystal â swyddi ym maes iechyd meddwl.
section-intro-involvement = Gwaith â thâl sy'n defnyddio'ch profiad o wasanaethau: paneli, hyfforddiant, ymchwil, adolygiadau.
section-intro-training = Cyrsiau a hyfforddiant, gan gynnwys addysgu gan gymheiriaid sydd â phrofiad bywyd.
section-intro-volunteering = Rolau di-dâl. Telir treuliau lle dywedir hynny.
section-intro-businesses = Busnesau a redir gan aelodau grwpiau'r rhanbarth — garddio, addurno, addysgu a mwy — wedi'u talu fesul awr ar gyfradd deg. Llogwch nhw'n uniongyrchol, fel mae pob un yn ei ddweud.

## Entries

entry-beds-free = { $free } o { $total } gwely'n rhydd pan argraffwyd (adroddwyd { $when })
before-printing-just = ychydig cyn argraffu
before-printing-minutes = { $n ->
    [zero] { $n } munud cyn argraffu
    [one] { $n } munud cyn argraffu
    [two] { $n } funud cyn argraffu
    [few] { $n } munud cyn argraffu
    [many] { $n } munud cyn argraffu
   *[other] { $n } munud cyn argraffu
}
before-printing-hours = { $n ->
    [zero] { $n } awr cyn argraffu
    [one] { $n } awr cyn argraffu
    [two] { $n } awr cyn argraffu
    [few] { $n } awr cyn argraffu
    [many] { $n } awr cyn argraffu
   *[other] { $n } awr cyn argraffu
}
before-printing-days = { $n ->
    [zero] { $n } diwrnod cyn argraffu
    [one] { $n } diwrnod cyn argraffu
    [two] { $n } ddiwrnod cyn argraffu
    [few] { $n } diwrnod cyn argraffu
    [many] { $n } diwrnod cyn argraffu
   *[other] { $n } diwrnod cyn argraffu
}
entry-beds-call = Gwelyau'n rhydd: ffoniwch i wirio
entry-for = I { $who }
entry-stays = { $n ->
    [zero] Arosiadau o hyd at { $n } noson
    [one] Arosiadau o hyd at { $n } noson
    [two] Arosiadau o hyd at { $n } noson
    [few] Arosiadau o hyd at { $n } noson
    [many] Arosiadau o hyd at { $n } noson
   *[other] Arosiadau o hyd at { $n } noson
}
entry-wheelchair = Mynediad i gadeiriau olwyn
entry-self-referral = Gallwch atgyfeirio'ch hun
entry-referral-needed = Mae angen atgyfeiriad
entry-safe-house = { $beds ->
    [zero] Tŷ diogel, { $beds } gwely
    [one] Tŷ diogel, { $beds } gwely
    [two] Tŷ diogel, { $beds } wely
    [few] Tŷ diogel, { $beds } gwely
    [many] Tŷ diogel, { $beds } gwely
   *[other] Tŷ diogel, { $beds } gwely
}
entry-open = Ar agor { $hours }
entry-free = Am ddim
entry-costs = Cost: { $fees }
entry-also-in = Hefyd yn { $languages }
entry-mental-health-service = { $kinds } (iechyd meddwl)
entry-works-in = Yn gweithio yn { $areas }
entry-to-book = I logi: { $how }
entry-closes = Yn cau { $date }
entry-from-home = Gellir ei wneud o gartref
entry-support = Cymorth: { $support }
entry-lived-experience = I bobl sydd â phrofiad bywyd o wasanaethau iechyd meddwl
entry-to-apply = I wneud cais: { $how }
entry-ordinary-job = { $kind }, swydd gyffredin
entry-in-mental-health = { $kind }, ym maes iechyd meddwl

## What the region is missing

missing-heading = Beth sydd ar goll yn y rhanbarth
missing-intro = I gomisiynwyr: yr hyn y chwiliodd pobl amdano ar y bwrdd a sgrin y llinell gymorth yn wythnos { $week } a heb ddod o hyd iddo, a'r oriau heb wely tŷ diogel yn rhydd.
missing-none = Dim ffigur i'w ddangos yr wythnos hon.
missing-people = { $n ->
    [zero] { $area }: { $what } — { $n } o bobl
    [one] { $area }: { $what } — { $n } person
    [two] { $area }: { $what } — { $n } berson
    [few] { $area }: { $what } — { $n } pherson
    [many] { $area }: { $what } — { $n } pherson
   *[other] { $area }: { $what } — { $n } o bobl
}
missing-term = { $n ->
    [zero] { $area }: “{ $what }” — { $n } o bobl
    [one] { $area }: “{ $what }” — { $n } person
    [two] { $area }: “{ $what }” — { $n } berson
    [few] { $area }: “{ $what }” — { $n } pherson
    [many] { $area }: “{ $what }” — { $n } pherson
   *[other] { $area }: “{ $what }” — { $n } o bobl
}
missing-no-bed = { $area }: dim gwely'n rhydd i { $who } — { $hours } awr
missing-work = { $jobs ->
    [zero] Gwaith na allai cronfa unrhyw grŵp ei gymryd: { $work } ({ $why }) — { $jobs } swydd
    [one] Gwaith na allai cronfa unrhyw grŵp ei gymryd: { $work } ({ $why }) — { $jobs } swydd
    [two] Gwaith na allai cronfa unrhyw grŵp ei gymryd: { $work } ({ $why }) — { $jobs } swydd
    [few] Gwaith na allai cronfa unrhyw grŵp ei gymryd: { $work } ({ $why }) — { $jobs } swydd
    [many] Gwaith na allai cronfa unrhyw grŵp ei gymryd: { $work } ({ $why }) — { $jobs } swydd
   *[other] Gwaith na allai cronfa unrhyw grŵp ei gymryd: { $work } ({ $why }) — { $jobs } swydd
}
missing-note = Mae pob ffigur yn cyfrif pobl, pob un unwaith y dydd; ni ddangosir ffigur o lai na { $threshold } o bobl, nac un y byddai cyfanswm yn ei ddatgelu. Mae gwaith na allai unrhyw gronfa ei gymryd yn cyfrif swyddi a logwyd. Cyhoeddwyd o dan y { $licence }.
