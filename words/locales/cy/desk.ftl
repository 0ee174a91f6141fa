# Y ddesg: tudalennau grŵp ei hun ar ei hyb, i'w weithwyr a'i gydlynwyr.
#
# NEEDS REVIEW by a native Welsh speaker: these translations were written by the
# project and have not yet been checked: see words/locales/README.md.

## The page around every page

desk-page-title = { $title } – desg { $group }
desk-name = Desg { $group }
desk-skip-to-main = Neidio i'r prif gynnwys
desk-nav-desk = Desg
desk-nav-languages = Iaith
desk-nav-today = Heddiw
desk-nav-beds = Gwelyau
desk-nav-referrals = Atgyfeiriadau
desk-nav-asks = Ymholiadau
desk-nav-listings = Rhestrau
desk-nav-pool = Cronfa
desk-nav-workers = Gweithwyr
desk-nav-audit = Cofnod archwilio
desk-nav-leave = Gadael y rhanbarth
desk-nav-my-work = Fy ngwaith
desk-nav-signed-in-as = Wedi mewngofnodi fel { $name }
desk-back-to-today = Yn ôl i heddiw
desk-page-not-found = Heb ddod o hyd i'r dudalen
desk-page-not-found-detail = Does dim tudalen yn y cyfeiriad hwn.
desk-coordinators-only = Dim ond cydlynwyr all agor y dudalen hon
desk-coordinators-only-detail = Gofynnwch i un o gydlynwyr eich grŵp.
desk-form-expired = Mae'r ffurflen hon wedi dod i ben
desk-form-expired-detail = Ewch yn ôl, ail-lwythwch y dudalen ac anfonwch y ffurflen eto.
desk-refused-cross-site = Gwrthodwyd: anfonwyd y ffurflen hon o wefan arall.

## Words many pages share

desk-colon = :{ " " }
desk-yes = Ydy
desk-no = Nac ydy
desk-none = Dim.
desk-none-yet = Dim eto.
desk-never = byth
desk-add = Ychwanegu
desk-cancel = Canslo
desk-confirm = Cadarnhau
desk-change = Newid
desk-withdraw = Tynnu'n ôl
desk-erase = Dileu
desk-older = Hŷn
desk-answer = Ateb
desk-history = Hanes
desk-history-step = { $status } gan { $by }, { $when }
desk-save-changes = Cadw'r newidiadau
desk-not-changed = Heb ei newid
desk-not-done = Heb ei wneud
desk-not-shown = Heb ei ddangos
desk-not-withdrawn = Heb ei dynnu'n ôl
desk-not-confirmed = Heb ei gadarnhau
desk-unknown-change = Newid anhysbys.
desk-no-such-answer = Does dim ateb o'r fath.
desk-id-not-valid = Dydy ei ddynodydd ddim yn ddilys.
desk-cannot-write-store = Ni all yr hyb ysgrifennu i'w storfa.
desk-cannot-write-audit = Ni all yr hyb ysgrifennu ei gofnod archwilio.
desk-when-today = heddiw { $time }
desk-when-day = { $day } { $time }
desk-error-summary = Mae problem
desk-error-prefix = Gwall:
desk-field-problem = { $label }: { $problem }
desk-label-name = Enw
desk-label-status = Statws
desk-label-role = Rôl
desk-label-reference = Cyfeirnod
desk-label-answer-by = Ateb erbyn

## Signing in and the account

desk-sign-in = Mewngofnodi
desk-label-password = Cyfrinair
desk-sign-in-hint = Dim cyfrif, neu wedi anghofio'ch cyfrinair? Gofynnwch i gydlynydd eich grŵp.
desk-sign-in-too-many = Gormod o ymdrechion i fewngofnodi o'r fan hon: arhoswch funud a rhowch gynnig arall arni
desk-sign-in-cannot = Methu mewngofnodi
desk-sign-in-cannot-check = Ni allai'r hyb wirio'r cyfrinair.
desk-sign-in-wrong = Mae'r enw neu'r cyfrinair yn anghywir
desk-sign-in-locked = Gormod o gyfrineiriau anghywir: gall y cyfrif hwn fewngofnodi eto { $when }
desk-account = Eich cyfrif
desk-account-signed-in = Wedi mewngofnodi
desk-sign-out = Allgofnodi
desk-sign-out-everywhere = Allgofnodi ym mhobman
desk-sign-out-everywhere-hint = Yn dod â phob sesiwn o'ch cyfrif i ben, ar bob dyfais.
desk-role-coordinator = Cydlynydd
desk-role-worker = Gweithiwr
desk-role-member = Aelod o'r gronfa

## Today

desk-today-update-beds = Diweddaru gwelyau
desk-today-beds = Gwelyau i'w diweddaru
desk-no-safe-houses = Dydy'r hyb hwn ddim yn rhestru tai diogel.
desk-today-beds-hold = Mae cyfrif pob tŷ yn dal am o leiaf ddwy awr arall.
desk-today-referrals = Atgyfeiriadau'n aros am ateb
desk-today-referral-from = Gan { $hub }, { $when }
desk-today-answer-by = ateb erbyn
desk-today-closing = Yn cau'r wythnos hon
desk-today-closing-none = Does dim cyfle'n cau'r wythnos hon.
desk-today-closes = yn cau { $date }
desk-today-services = Gwasanaethau i'w gwirio
desk-today-services-none = Cadarnhawyd pob gwasanaeth yn ystod y chwe mis diwethaf.
desk-today-services-old = Heb eu cadarnhau ers chwe mis: ydyn nhw'n dal yn gywir? Cadarnhewch nhw ar dudalen y rhestrau:
desk-today-services-confirm = Rhestrau
desk-today-keys = Allweddi'r hyb hwn
desk-today-keys-old = { $days ->
    [zero] Wedi'u gwneud neu eu newid ddiwethaf { $days } diwrnod yn ôl: newidiwch nhw (unwaith y flwyddyn, a phryd bynnag y bydd rhywun a oedd yn eu dal yn gadael).
    [one] Wedi'u gwneud neu eu newid ddiwethaf { $days } diwrnod yn ôl: newidiwch nhw (unwaith y flwyddyn, a phryd bynnag y bydd rhywun a oedd yn eu dal yn gadael).
    [two] Wedi'u gwneud neu eu newid ddiwethaf { $days } ddiwrnod yn ôl: newidiwch nhw (unwaith y flwyddyn, a phryd bynnag y bydd rhywun a oedd yn eu dal yn gadael).
   *[other] Wedi'u gwneud neu eu newid ddiwethaf { $days } diwrnod yn ôl: newidiwch nhw (unwaith y flwyddyn, a phryd bynnag y bydd rhywun a oedd yn eu dal yn gadael).
}
desk-today-keys-age = { $days ->
    [two] Wedi'u gwneud neu eu newid ddiwethaf { $days } ddiwrnod yn ôl.
   *[other] Wedi'u gwneud neu eu newid ddiwethaf { $days } diwrnod yn ôl.
}
desk-today-keys-how = I'w newid: stopiwch yr hyb, rhedwch hwn ar ei beiriant, a'i gychwyn eto; mae'r rhanbarth yn dilyn:
desk-today-link = Cyswllt â'r rhanbarth
desk-today-connected = Wedi cysylltu
desk-today-waiting = Yn aros i'w cyhoeddi
desk-today-in-step = Yn gyson â'r rasys cyfnewid
desk-today-in-step-never-asked = Ydy: does dim ras gyfnewid wedi gofyn am ddim eto ers i'r hyb gychwyn
desk-today-in-step-checked = Ydy: gwiriodd ras gyfnewid ddiwethaf { $when } a cholli dim
desk-today-in-step-missed = { $n ->
    [one] Collodd ras gyfnewid { $n } rhestr, a gyhoeddwyd eto { $when }; mae'r curiad calon nesaf yn dangos a yw'n gyson
    [two] Collodd ras gyfnewid { $n } restr, a gyhoeddwyd eto { $when }; mae'r curiad calon nesaf yn dangos a yw'n gyson
   *[other] Collodd ras gyfnewid { $n } rhestr, a gyhoeddwyd eto { $when }; mae'r curiad calon nesaf yn dangos a yw'n gyson
}
desk-today-last-error = Gwall diwethaf

## Beds

desk-beds-free-now = Gwelyau'n rhydd nawr
desk-beds-never-reported = heb adrodd erioed
desk-beds-stale-since = wedi dyddio ers { $when }
desk-beds-hold-until = yn dal tan { $when }
desk-beds-free-until = { $n ->
    [zero] Dim gwelyau'n rhydd tan { $when }
    [two] { $n } wely'n rhydd tan { $when }
   *[other] { $n } gwely'n rhydd tan { $when }
}
desk-beds-updated = diweddarwyd { $when }
desk-beds-updated-by = diweddarwyd { $when } gan { $who }
desk-beds-free-at = Gwelyau'n rhydd nawr yn { $house }
desk-beds-n-free = { $n ->
    [zero] Dim gwelyau'n rhydd
    [two] { $n } wely'n rhydd
   *[other] { $n } gwely'n rhydd
}
desk-beds-n-free-now = { $n ->
    [zero] Dim gwelyau'n rhydd nawr
    [two] { $n } wely'n rhydd nawr
   *[other] { $n } gwely'n rhydd nawr
}
desk-beds-n = { $n ->
    [zero] Dim gwelyau
    [two] { $n } wely
   *[other] { $n } gwely
}
desk-beds-confirm = Cadarnhau gwelyau
desk-beds-how-long = Am faint mae hyn yn dal?
desk-beds-hours = { $n ->
   *[other] { $n } awr
}
desk-no-such-house = Dim tŷ o'r fath
desk-no-such-house-detail = Dewiswch dŷ a rhif ar dudalen y gwelyau.

## Referrals

desk-referrals-cannot-show = Ni ellir dangos yr atgyfeiriadau
desk-col-referral = Atgyfeiriad
desk-col-hub = Hyb
desk-referral-made = Gwnaed { $when }
desk-referral-details-erased = (manylion wedi'u dileu)
desk-refer-someone = Atgyfeirio rhywun at grŵp arall
desk-refer-someone-title = Atgyfeirio rhywun
desk-referrals-inbox = Mewnflwch: wedi'u hatgyfeirio at y grŵp hwn
desk-referrals-inbox-caption = Atgyfeiriadau at y grŵp hwn
desk-referrals-outbox = Allflwch: wedi'u hatgyfeirio gan y grŵp hwn
desk-referrals-outbox-caption = Atgyfeiriadau gan y grŵp hwn
desk-referral-choose-group = Dewiswch grŵp
desk-referral-choose-group-error = Dewiswch y grŵp i atgyfeirio ato
desk-referral-sealed = Caiff yr hyn rydych chi'n ei ysgrifennu am yr unigolyn ei selio i'r grŵp arall cyn iddo adael yr hyb hwn, ac ni fydd yn cyrraedd neb arall.
desk-referral-hub-id = Dynodydd hyb y grŵp
desk-referral-hub-id-hint = Fel mae'r rhanbarth yn ei restru, e.e. rainbow-crisis-house
desk-referral-to-group = At ba grŵp
desk-referral-target = Un o'u tai diogel neu gyfleoedd (dewisol)
desk-referral-target-hint = Ei ddynodydd, o fwrdd y rhanbarth; gadewch yn wag i atgyfeirio at y grŵp ei hun
desk-referral-target-kind = Pa fath o restr yw hwnnw
desk-referral-kind-safehouse = Tŷ diogel
desk-referral-kind-opportunity = Cyfle
desk-referral-kind-hub = Y grŵp ei hun
desk-referral-person-name = Enw neu lythrennau blaen yr unigolyn
desk-referral-contact = Sut i gysylltu â nhw
desk-referral-contact-hint = Rhif ffôn neu e-bost, a phryd
desk-referral-no-contact = Dydyn nhw ddim eisiau i neb gysylltu â nhw
desk-referral-needs = Beth sydd ei angen arnyn nhw
desk-referral-notes = Nodiadau (dewisol)
desk-referral-consent = Eu caniatâd
desk-referral-consent-hint = Sut y cytunon nhw i'r atgyfeiriad hwn, pryd, a phwy a'i cofnododd
desk-referral-send = Anfon yr atgyfeiriad
desk-no-such-referral = Dim atgyfeiriad o'r fath
desk-referral = Atgyfeiriad
desk-referral-from = Atgyfeiriad gan { $hub }
desk-referral-to = Atgyfeiriad at { $hub }
desk-referral-made-label = Gwnaed
desk-referral-for = Ar gyfer
desk-referral-person = Yr unigolyn
desk-referral-erased = Mae eu manylion wedi'u dileu.
desk-referral-contact-label = Cyswllt
desk-referral-do-not-contact = Peidiwch â chysylltu
desk-referral-needs-label = Anghenion
desk-referral-notes-label = Nodiadau
desk-referral-consent-label = Caniatâd
desk-referral-not-arrived = Dydy eu manylion ddim wedi cyrraedd eto.
desk-referral-show = Dangos y manylion
desk-referral-show-hint = Caiff eu dangos ei gofnodi yn y cofnod archwilio.
desk-referral-accept = Derbyn
desk-referral-decline-reason = Rheswm dros wrthod
desk-referral-decline-reason-hint = Caiff ei anfon at y grŵp a atgyfeiriodd, wedi'i selio.
desk-referral-decline = Gwrthod
desk-referral-complete = Nodi ei fod wedi'i gwblhau
desk-referral-withdraw-reason = Rheswm dros dynnu'n ôl (dewisol)
desk-referral-erase-label = Dileu manylion yr unigolyn hwn am byth, yn y ddau grŵp
desk-referral-erase = Dileu'r manylion
desk-referrals-all = Pob atgyfeiriad
desk-referral-decline-why = Dywedwch pam rydych chi'n gwrthod: caiff y grŵp a atgyfeiriodd wybod
desk-referral-erase-tick = Ticiwch y blwch i ddileu'r manylion: does dim modd dadwneud hyn
desk-referral-status-sent = wedi'i anfon
desk-referral-status-received = wedi'i dderbyn
desk-referral-status-accepted = wedi'i gymeradwyo
desk-referral-status-declined = wedi'i wrthod
desk-referral-status-completed = wedi'i gwblhau
desk-referral-status-withdrawn = wedi'i dynnu'n ôl
desk-referral-status-expired = wedi dod i ben

## Asks

desk-ask-how-phone = Ffonio { $reach }
desk-ask-how-text = Tecstio { $reach }
desk-ask-how-email = E-bostio { $reach }
desk-ask-how-none = Peidiwch â chysylltu: byddan nhw'n ffonio, gan roi eu cyfeirnod
desk-ask-how-when = { $how }, { $when }
desk-asks-cannot-show = Ni ellir dangos yr ymholiadau
desk-asks-intro = Pobl a ofynnodd am eich rhestrau ar fwrdd y rhanbarth. Agorwch un i weld beth ysgrifennon nhw a sut i'w cyrraedd.
desk-asks-no-relay = Ddim yn derbyn ymholiadau: does dim ras gyfnewid wedi'i henwi yn y gosodiad hwn yn hub.toml
desk-asks-paused = Mae ymholiadau wedi'u hoedi: dim ond sut i ffonio mae'r bwrdd yn ei ddangos.
desk-asks-taken-today = { $n } o { $cap } wedi'u derbyn heddiw.
desk-asks-caption = Ymholiadau, y diweddaraf yn gyntaf
desk-col-ask = Ymholiad
desk-col-about = Am
desk-ask-sent = Anfonwyd { $when }
desk-ask-erased-mark = (wedi'i ddileu)
desk-no-such-ask = Dim ymholiad o'r fath
desk-ask = Ymholiad
desk-ask-about = Ymholiad am { $listing }
desk-ask-sent-label = Anfonwyd
desk-ask-through = Drwy
desk-ask-through-relay = Bwrdd y ras gyfnewid { $relay }
desk-ask-what-they-wrote = Beth ysgrifennon nhw
desk-ask-not-taken = Heb ei dderbyn: daeth dros derfyn y dydd neu tra oedd ymholiadau wedi'u hoedi, felly ni chadwyd dim ohono. Gofynnwyd iddyn nhw ffonio.
desk-ask-erased = Wedi'i ddileu.
desk-ask-how = Sut i'w cyrraedd
desk-ask-their-words = Eu geiriau
desk-ask-show = Dangos beth ysgrifennon nhw
desk-ask-show-hint = Caiff ei ddangos ei gofnodi yn y cofnod archwilio.
desk-ask-answer-hint = Dim ond y statws hwn maen nhw'n ei weld, ar y dudalen ar gyfer eu cyfeirnod.
desk-ask-contacted = Rydyn ni wedi cysylltu
desk-ask-close = Ei gau
desk-ask-book = Ei drefnu
desk-ask-book-job = Trefnu swydd o'r ymholiad hwn
desk-ask-erase-label = Dileu beth ysgrifennon nhw, am byth
desk-asks-all = Pob ymholiad
desk-ask-erase-tick = Ticiwch y blwch i ddileu beth ysgrifennon nhw: does dim modd dadwneud hyn
desk-ask-status-received = wedi'i dderbyn
desk-ask-status-contacted = wedi cysylltu
desk-ask-status-closed = wedi'i gau
desk-ask-status-not-taken = heb ei dderbyn

## Listings

desk-listings-newest = Y diweddaraf o bob math
desk-listings-opportunities = Cyfleoedd
desk-listings-services = Gwasanaethau
desk-listings-offers = Busnesau
desk-listings-safehouses = Tai diogel
desk-add-opportunity = Ychwanegu cyfle
desk-add-service = Ychwanegu gwasanaeth
desk-add-offer = Ychwanegu busnes
desk-add-safehouse = Ychwanegu tŷ diogel
desk-change-opportunity = Newid y cyfle hwn
desk-change-service = Newid y gwasanaeth hwn
desk-change-offer = Newid y busnes hwn
desk-change-safehouse = Newid y tŷ diogel hwn
desk-older-opportunities = Cyfleoedd hŷn
desk-older-services = Gwasanaethau hŷn
desk-older-offers = Busnesau hŷn
desk-older-safehouses = Tai diogel hŷn
desk-import-services-link = Mewnforio gwasanaethau (HSDS)
desk-service-confirmed = Cadarnhawyd { $date }
desk-service-never-confirmed = Heb ei gadarnhau erioed
desk-service-still-right = Yn dal yn gywir
desk-listings-offers-hint = Busnesau'r gronfa, pob un wedi'i gyhoeddi i'r rhanbarth gyda'r hyn mae'n ei wneud, ble, ei gyfradd a sut i'w drefnu.
desk-listings-offers-no-fair-rate = Gosodwch gyfradd deg y rhanbarth, mewn punnoedd yr awr, yn hub.toml cyn rhedeg busnesau cronfa:
desk-opportunity-status-open = ar agor
desk-opportunity-status-filled = wedi'i lenwi
desk-opportunity-status-withdrawn = wedi'i dynnu'n ôl
desk-no-such-listing = Dim rhestr o'r fath
desk-no-such-listing-detail = Efallai ei bod wedi'i thynnu'n ôl yn barod.
desk-no-such-family = Does dim math o restr o'r fath.
desk-no-such-service = Dim gwasanaeth o'r fath
desk-withdraw-question = Tynnu { $name } yn ôl?
desk-withdraw-what = Mae'n diflannu o fwrdd, cyfeiriadur a data agored y rhanbarth. Ni ellir ei gyhoeddi eto.

## The listings' forms

desk-label-title = Teitl
desk-label-kind = Math
desk-label-sector = Sector
desk-sector-ordinary = Swydd neu gwrs cyffredin
desk-sector-mental-health = Ym maes iechyd meddwl
desk-label-description = Disgrifiad
desk-label-area = Ardal
desk-hint-area-opportunity = Tref neu ardal cod post, e.e. Leeds LS6: gydag ardal, mae pobl gerllaw yn dod o hyd iddo'n gyntaf
desk-label-remote = Gellir ei wneud o gartref
desk-label-hours = Oriau'r wythnos
desk-hint-hours = Gadewch yn wag os yw'n amrywio
desk-label-pay = Tâl, mewn punnoedd
desk-hint-pay = e.e. 12.21; gadewch yn wag os yw'n ddi-dâl
desk-label-pay-per = Tâl fesul
desk-paid-per-hour = awr
desk-paid-per-session = sesiwn
desk-paid-per-day = diwrnod
desk-label-expenses-paid = Treuliau'n cael eu talu
desk-label-skills = Sgiliau
desk-hint-commas = Wedi'u gwahanu gan atalnodau
desk-label-how-to-apply = Sut i wneud cais
desk-label-closes-on = Yn cau ar
desk-hint-closes-on = BBBB-MM-DD; gadewch yn wag os nad yw'n cau
desk-error-hours-not-number = Oriau'r wythnos: nid rhif yw hwn: { $typed }
desk-error-pay-not-pounds = Tâl: nid swm mewn punnoedd yw hwn: { $typed }
desk-error-status-withdrawn = Statws: tynnwch ef yn ôl o'r rhestr yn lle hynny
desk-error-not-whole-number = { $label }: nid rhif cyfan yw hwn: { $typed }
desk-hint-area-safehouse = Tref neu ardal cod post, byth y cyfeiriad: mae'r rhanbarth yn dangos canol yr ardal
desk-label-for = I bwy mae e
desk-hint-for = Gadewch bob un heb ei dicio os yw i unrhyw un.
desk-label-beds-total = Gwelyau i gyd
desk-label-wheelchair = Hygyrch i gadeiriau olwyn
desk-label-self-referral = Gall pobl atgyfeirio eu hunain
desk-label-longest-stay = Arhosiad hiraf
desk-label-longest-stay-nights = Arhosiad hiraf, mewn nosweithiau
desk-hint-longest-stay = Gadewch yn wag os nad oes un
desk-label-phone = Ffôn
desk-hint-phone-safehouse = Y rhif mae pobl yn ei ffonio i ofyn am wely
desk-label-what-it-is = Beth yw e
desk-label-categories = Categorïau
desk-hint-categories = Wedi'u gwahanu gan atalnodau, o'r rhain: { $categories }
desk-label-street = Stryd
desk-hint-street = Lle mae pobl yn dod: y stryd a'r rhif. Gadewch y cyfeiriad yn wag ar gyfer gwasanaeth dros y ffôn neu ar-lein.
desk-label-town = Tref
desk-label-postcode = Cod post
desk-hint-postcode = Cod post llawn, er enghraifft LS1 6DT
desk-label-email = E-bost
desk-label-website = Gwefan
desk-label-free = Am ddim
desk-hint-offer-name = Y busnes, fel mae pobl yn ei adnabod, e.e. Green Hands Garden Co-op
desk-label-what-it-does = Beth mae'n ei wneud
desk-hint-offer-skills = Beth mae'n ei wneud yn y geiriau mae pobl yn chwilio amdanyn nhw, wedi'u gwahanu gan atalnodau: garddio, torri gwrychoedd
desk-label-areas = Lle mae'n gweithio
desk-hint-offer-areas = Trefi neu ardaloedd cod post, wedi'u gwahanu gan atalnodau, e.e. Leeds LS6, Bradford
desk-label-rate = Cyfradd yr awr
desk-label-rate-pounds = Cyfradd yr awr, mewn punnoedd
desk-hint-rate = e.e. 15.50: o leiaf cyfradd deg y rhanbarth
desk-label-rate-note = Am y gyfradd
desk-hint-rate-note = e.e. deunyddiau'n ychwanegol; dwy awr o leiaf
desk-label-how-to-book = Sut i drefnu
desk-hint-how-to-book = e.e. Ffoniwch neu tecstiwch 07700 900123, yn ystod yr wythnos 9 tan 5

## Importing services

desk-import-services = Mewnforio gwasanaethau
desk-import-checked = Wedi gwirio: byddai'n creu { $created }, yn diweddaru { $updated }, yn gadael { $unchanged } fel y maen nhw; { $refused } wedi'u gwrthod
desk-import-done = Wedi mewnforio: crëwyd { $created }, diweddarwyd { $updated }, gadawyd { $unchanged } fel y maen nhw; { $refused } wedi'u gwrthod
desk-import-nothing-written = Ni ysgrifennwyd dim. Dewiswch y ffeil eto a'i mewnforio.
desk-import-wrong = Beth sydd o'i le yn y ffeil
desk-import-where = Ble
desk-import-field = Maes
desk-import-problem = Problem
desk-import-intro = O ffeil JSON HSDS 3 neu Open Referral UK: un gwasanaeth, rhestr ohonyn nhw, neu dudalen o'r API. Mae gwasanaeth a fewnforir eto o'r un cyfeiriadur yn diweddaru'r un a fewnforiwyd o'r blaen.
desk-import-file = Y ffeil
desk-import-check = Ei gwirio (nid yw'n ysgrifennu dim)
desk-import = Mewnforio
desk-import-not-text = Ni ellid darllen y ffeil fel testun
desk-import-upload-failed = Methodd yr uwchlwytho: { $why }
desk-import-choose-file = Dewiswch ffeil i'w mewnforio

## Workers (coordinators only)

desk-users-password-of = Cyfrinair { $name } yw
desk-users-password-give = Rhowch ef iddyn nhw wyneb yn wyneb. Ni chaiff ei ddangos eto.
desk-users-caption = Cyfrifon y ddesg
desk-users-last-signed-in = Mewngofnodi diwethaf
desk-users-change = Newid
desk-users-new-password = Cyfrinair newydd
desk-users-remove = Tynnu
desk-users-add = Ychwanegu gweithiwr
desk-users-name-hint = Llythrennau bach, digidau, '.', '-' neu '_', e.e. sam.k
desk-users-role-worker = Gweithiwr: rhestrau, gwelyau ac atgyfeiriadau
desk-users-role-coordinator = Cydlynydd: hefyd cyfrifon gweithwyr a'r cofnod archwilio
desk-users-role-member = Aelod o'r gronfa: eu cynigion gwaith a'u henillion eu hunain yn unig
desk-account-error-name-empty = Enw: rhaid iddo beidio â bod yn wag
desk-account-error-name-long = Enw: { $n } nod ar y mwyaf
desk-account-error-name-letter = Enw: ni chaniateir { $letter }: defnyddiwch lythrennau bach, digidau, '.', '-' neu '_'
desk-account-error-name-own = Ni allwch dynnu eich cyfrif eich hun
desk-account-error-role = Rôl: gwerth anhysbys { $role }; disgwylir un o: coordinator, worker, member
desk-account-error-exists = Mae defnyddiwr desg o'r enw { $name } yn bod yn barod
desk-account-error-unknown = Does dim defnyddiwr desg o'r enw { $name }
desk-account-error-last-coordinator = { $name } yw'r cydlynydd olaf: gwnewch gydlynydd arall yn gyntaf, neu ni ellir rheoli cyfrifon y ddesg

## The audit log (coordinators only)

desk-audit-intro = Pob newid a wnaed drwy'r ddesg neu gyda gorchymyn kith ar yr hyb hwn: pwy, pryd, beth. Mae'n aros ar yr hyb hwn.
desk-audit-caption = Newidiadau, y diweddaraf yn gyntaf
desk-audit-when = Pryd
desk-audit-who = Pwy
desk-audit-what = Beth
desk-audit-about = Am

## Leaving the region (coordinators only)

desk-leave-left = Mae'r hyb hwn wedi gadael y rhanbarth: mae ei restrau wedi'u tynnu'n ôl ym mhobman.
desk-leave-what = Caiff pob rhestr o'r hyb hwn ei thynnu'n ôl o fwrdd, cyfeiriadur a data agored y rhanbarth, ac ni all grwpiau eraill atgyfeirio pobl ato mwyach. Does dim modd dadwneud hyn: i ddod yn ôl, mae cydlynydd y rhanbarth yn ychwanegu'r grŵp eto.
desk-leave-referrals = Mae atgyfeiriadau a wnaed eisoes yn parhau: gallwch eu hateb a'u cau o hyd.
desk-leave-confirm = I gadarnhau, teipiwch ddynodydd yr hyb hwn
desk-leave-confirm-hint = Dyma fe: { $hub }
desk-leave-type = Teipiwch { $hub } i gadarnhau

## The pool

desk-pool-cannot-show = Ni ellir dangos y gronfa
desk-pool-book-job = Trefnu swydd
desk-pool-add-member = Ychwanegu aelod
desk-pool-figures-link = Ffigurau'r grŵp: oriau, tâl, swyddi a wrthodwyd
desk-pool-businesses-link = Y busnesau, fel mae'r rhanbarth yn eu gweld
desk-pool-waiting = Yn aros am rywun
desk-pool-week-from = Yr wythnos o { $date }
desk-pool-week-before = Yr wythnos cynt
desk-pool-week-after = Yr wythnos wedyn
desk-pool-no-jobs-week = Dim swyddi wedi'u trefnu'r wythnos hon.
desk-pool-jobs-caption = Swyddi'r wythnos hon, fesul diwrnod
desk-pool-day = Diwrnod
desk-pool-job = Swydd
desk-pool-hours = Oriau
desk-pool-who = Pwy
desk-pool-members = Aelodau
desk-pool-no-members = Dim aelodau eto.
desk-pool-members-caption = Aelodau, gyda'u henillion yr wythnos hon
desk-pool-member = Aelod
desk-pool-can-do = Yn gallu gwneud
desk-pool-this-week = Yr wythnos hon
desk-pool-status-open = ar agor
desk-pool-status-offered = wedi'i chynnig
desk-pool-status-accepted = wedi'i derbyn
desk-pool-status-done = wedi'i gwneud
desk-pool-status-turned-down = wedi'i gwrthod
desk-pool-status-cancelled = wedi'i chanslo
desk-pool-status-booked = wedi'i threfnu
desk-pool-status-declined = wedi dweud na
desk-pool-status-worked = wedi gweithio
desk-pool-reason-skills-missing = does dim aelod wedi dweud y gall ei gwneud
desk-pool-reason-no-one-free = does neb yn rhydd bryd hynny
desk-pool-reason-pay-too-low = mae'r tâl yn is na'r hyn mae aelodau'n gweithio amdano
desk-pool-reason-over-limits = byddai'n mynd â phawb dros eu terfyn eu hunain
desk-pool-reason-members-declined = dywedodd yr aelodau a holwyd na
desk-pool-why-skills-missing = Dydy { $name } ddim wedi dweud y gall wneud yr hyn sydd ei angen
desk-pool-why-not-free = Dydy { $name } ddim yn rhydd bryd hynny
desk-pool-why-busy = Mae gan { $name } swydd arall bryd hynny
desk-pool-why-declined = Dywedodd { $name } na i'r swydd hon
desk-pool-why-rate-too-low = Mae { $name } yn gweithio am fwy yr awr nag y mae'n ei dalu
desk-pool-why-over-limit = Byddai'n mynd â { $name } dros eu terfyn eu hunain yr wythnos hon
desk-pool-back = Yn ôl i'r gronfa
desk-pool-save = Cadw
desk-pool-hint-contact = Yn cael ei gadw ar yr hyb hwn yn unig, ac yn cael ei ddangos ar ôl pwyso botwm.
desk-pool-label-skills = Beth allan nhw ei wneud
desk-pool-hint-skills = Un ar bob llinell, neu wedi'u gwahanu gan atalnodau: garddio, torri gwrychoedd.
desk-pool-label-availability = Pryd maen nhw'n gallu gweithio
desk-pool-hint-availability = Un ar bob llinell, diwrnod ac amserau: tue 09:00-17:00.
desk-pool-label-away = Diwrnodau na allan nhw weithio
desk-pool-hint-away = Un ar bob llinell: 2026-12-24..2027-01-02, neu un diwrnod.
desk-pool-label-min-rate = Y lleiaf maen nhw'n gweithio amdano yr awr, mewn punnoedd
desk-pool-hint-fair-rate = O leiaf cyfradd deg y rhanbarth.
desk-pool-label-weekly-limit = Eu terfyn enillion wythnosol eu hunain, mewn punnoedd
desk-pool-hint-weekly-limit = Dim ond os ydyn nhw'n cadw un, er enghraifft terfyn Gwaith a Ganiateir. Gadewch yn wag os nad ydyn nhw.
desk-pool-label-desk-user = Eu cyfrif desg, os oes ganddyn nhw un
desk-pool-hint-desk-user = Cyfrif gyda rôl aelod: maen nhw'n ateb cynigion eu hunain.
desk-pool-error-min-rate = Rhowch y lleiaf maen nhw'n gweithio amdano yr awr
desk-pool-error-too-much = { $label }: gormod
desk-pool-change-member = Newid aelod
desk-pool-member-erased = Mae manylion yr aelod hwn wedi'u dileu.
desk-pool-no-such-member = Dim aelod o'r fath
desk-pool-erased-member = Aelod wedi'i ddileu
desk-pool-erased-member-detail = Cafodd eu manylion eu dileu. Mae oriau a thâl y swyddi a weithion nhw yn aros yn ffigurau'r grŵp, heb eu henw.
desk-pool-earnings = Enillion
desk-pool-this-week-from = Yr wythnos hon (o { $date })
desk-pool-this-month = Y mis hwn
desk-pool-tax-year-from = Y flwyddyn dreth hon (o { $date })
desk-pool-their-limit = Eu terfyn wythnosol
desk-pool-no-limit = Dim un wedi'i gadw yma
desk-pool-statement = Datganiad tâl
desk-pool-from = O
desk-pool-to = I
desk-pool-show-statement = Dangos y datganiad
desk-pool-details = Manylion
desk-pool-away = I ffwrdd
desk-pool-from-to = { $from } i { $to }
desk-pool-least-rate = Y lleiaf maen nhw'n gweithio amdano
desk-pool-desk-account = Cyfrif desg
desk-pool-show-contact = Dangos sut i'w cyrraedd
desk-pool-change-details = Newid eu manylion
desk-pool-erase-hint = Caiff eu henw, sut i'w cyrraedd, eu sgiliau a'u terfyn eu dinistrio am byth. Mae oriau a thâl y swyddi a weithion nhw yn aros, heb eu henw.
desk-pool-erase-label = Dileu manylion yr aelod hwn, am byth
desk-pool-erase-tick = Ticiwch y blwch i ddileu eu manylion: does dim modd dadwneud hyn
desk-pool-not-erased = Heb ei ddileu
desk-pool-no-statement = Dim datganiad
desk-pool-statement-from = Gan { $group }
desk-pool-no-work = Ni chofnodwyd dim gwaith yn y cyfnod hwn.
desk-pool-work-caption = Gwaith a wnaed, fesul diwrnod
desk-pool-work = Gwaith
desk-pool-rate = Cyfradd
desk-pool-pay = Tâl
desk-pool-total = Cyfanswm
desk-pool-earnings-limit = Enillion a'u terfyn
desk-pool-that-month = Y mis hwnnw
desk-pool-tax-year-from-plain = Y flwyddyn dreth o { $date }
desk-pool-print = Argraffwch y dudalen hon, neu gwnewch PDF gyda'r gorchymyn hwn:
desk-pool-back-member = Yn ôl i'r aelod
desk-pool-business-none = Dim: wedi'i threfnu gyda'r gronfa ei hun
desk-pool-from-ask = Wedi'i threfnu o ymholiad: mae'r hyn a ysgrifennodd yr unigolyn yn aros gyda'r ymholiad. Copïwch yma dim ond yr hyn sydd ei angen ar y swydd.
desk-pool-label-what = Beth sydd i'w wneud
desk-pool-hint-date = Fel BBBB-MM-DD, er enghraifft 2026-12-08.
desk-pool-label-start = Yn dechrau am
desk-pool-hint-start = Fel AA:MM, er enghraifft 09:30.
desk-pool-label-hours = Am faint, mewn oriau
desk-pool-hint-hours = Er enghraifft 3, 2.5 neu 2:30.
desk-pool-label-rate = Tâl yr awr i'r gweithiwr, mewn punnoedd
desk-pool-label-job-skills = Sgiliau sydd eu hangen
desk-pool-hint-job-skills = Un ar bob llinell, neu wedi'u gwahanu gan atalnodau.
desk-pool-where = Ble
desk-pool-booked-by = Wedi'i threfnu gan
desk-pool-label-business = Wedi'i threfnu gyda
desk-pool-no-such-job = Dim swydd o'r fath
desk-pool-pay-for-job = { $rate }: { $pay }
desk-pool-taken-by = Wedi'i chymryd gan
desk-pool-worked = Wedi gweithio
desk-pool-worked-paid = { $hours }, talwyd { $pay }
desk-pool-offered-to = Wedi'i chynnig i
desk-pool-offered-hint = Cofnodwch eu hateb yma ar gyfer aelodau heb gyfrif desg eu hunain.
desk-pool-they-take-it = Maen nhw'n ei chymryd
desk-pool-they-say-no = Maen nhw'n dweud na
desk-pool-who-could = Pwy allai ei chymryd
desk-pool-no-one = Does neb yn gallu cymryd y swydd hon
desk-pool-earned-this-week = { $pay } yr wythnos hon
desk-pool-room-after = { $pay } ar ôl o dan eu terfyn ar ôl y swydd hon
desk-pool-offer-to = Ei chynnig i { $name }
desk-pool-not-proposed = Heb eu cynnig
desk-pool-over-limit-chooses = Mae { $name } yn gwybod bod hyn yn mynd â nhw dros eu terfyn, ac yn dewis gwneud hynny
desk-pool-offer-anyway = Ei chynnig beth bynnag
desk-pool-hours-worked = Oriau a weithiwyd
desk-pool-hint-hours-worked = Er enghraifft 3, 2.5 neu 2:30. Mae'r tâl yn dilyn o'r gyfradd.
desk-pool-record-hours = Cofnodi'r oriau
desk-pool-end-it = Dod â hi i ben
desk-pool-why-optional = Pam (dewisol)
desk-pool-hint-why = Os na all y gronfa ei chymryd a'ch bod yn gadael hyn yn wag, caiff y rheswm ei gyfrifo o bwy na allai.
desk-pool-cannot-take = Ni all y gronfa ei chymryd
desk-pool-called-off = Mae pwy bynnag a'i trefnodd wedi'i chanslo
desk-pool-history-step-member = { $status } ({ $member }) gan { $by }, { $when }
desk-pool-no-step = Does dim cam o'r fath.
desk-pool-no-figures = Dim ffigurau
desk-pool-figures = Ffigurau'r grŵp
desk-pool-show = Dangos
desk-pool-jobs-booked = Swyddi wedi'u trefnu
desk-pool-jobs-done = Swyddi wedi'u gwneud
desk-pool-paid-to-members = Wedi'i dalu i aelodau
desk-pool-members-paid = Aelodau a dalwyd
desk-pool-cancelled = Wedi'u canslo gan bwy bynnag a'u trefnodd
desk-pool-turned-down = Swyddi na allai'r gronfa eu cymryd
desk-pool-skills-needed = Sgiliau oedd eu hangen:

## A member's own page

desk-me-not-linked = Dydy eich cyfrif ddim wedi'i gysylltu ag aelod o'r gronfa eto: gofynnwch i'ch cydlynydd.
desk-me-not-member = Mae'r dudalen hon ar gyfer aelodau'r gronfa, gyda'u cyfrif eu hunain.
desk-me-offered = Wedi'u cynnig i chi
desk-me-nothing-waiting = Does dim byd yn aros am eich ateb.
desk-me-pays = Yn talu { $pay } ({ $rate })
desk-me-take = Fe'i cymeraf
desk-me-not-this = Nid hon
desk-me-your-jobs = Eich swyddi
desk-me-none-booked = Dim wedi'u trefnu.
desk-me-earnings = Eich enillion
desk-me-tax-year = Y flwyddyn dreth hon
