# ڈیسک: کسی گروپ کے اپنے صفحات اس کے ہب پر، اس کے کارکنوں اور رابطہ کاروں کے لیے۔
#
# NEEDS REVIEW by a native Urdu speaker: these translations were written by the
# project and have not yet been checked: see words/locales/README.md.

## The page around every page

desk-page-title = { $title } – { $group } ڈیسک
desk-name = { $group } ڈیسک
desk-skip-to-main = مرکزی مواد پر جائیں
desk-nav-desk = ڈیسک
desk-nav-languages = زبان
desk-nav-today = آج
desk-nav-beds = بستر
desk-nav-referrals = ریفرلز
desk-nav-asks = پوچھ گچھ
desk-nav-listings = فہرستیں
desk-nav-pool = پول
desk-nav-workers = کارکن
desk-nav-audit = آڈٹ لاگ
desk-nav-leave = علاقہ چھوڑیں
desk-nav-my-work = میرا کام
desk-nav-signed-in-as = { $name } کے طور پر سائن ان
desk-back-to-today = آج پر واپس
desk-page-not-found = صفحہ نہیں ملا
desk-page-not-found-detail = اس پتے پر کوئی صفحہ نہیں ہے۔
desk-coordinators-only = یہ صفحہ صرف رابطہ کار کھول سکتے ہیں
desk-coordinators-only-detail = اپنے گروپ کے کسی رابطہ کار سے پوچھیں۔
desk-form-expired = اس فارم کی مدت ختم ہو گئی ہے
desk-form-expired-detail = واپس جائیں، صفحہ دوبارہ لوڈ کریں اور فارم دوبارہ بھیجیں۔
desk-refused-cross-site = مسترد: یہ فارم کسی دوسری ویب سائٹ سے بھیجا گیا تھا۔

## Words many pages share

desk-colon = :{ " " }
desk-yes = ہاں
desk-no = نہیں
desk-none = کوئی نہیں۔
desk-none-yet = ابھی کوئی نہیں۔
desk-never = کبھی نہیں
desk-add = شامل کریں
desk-cancel = منسوخ کریں
desk-confirm = تصدیق کریں
desk-change = تبدیل کریں
desk-withdraw = واپس لیں
desk-erase = مٹا دیں
desk-older = پرانے
desk-answer = جواب
desk-history = تاریخچہ
desk-history-step = { $status }، از { $by }، { $when }
desk-save-changes = تبدیلیاں محفوظ کریں
desk-not-changed = تبدیل نہیں ہوا
desk-not-done = نہیں ہوا
desk-not-shown = نہیں دکھایا گیا
desk-not-withdrawn = واپس نہیں لیا گیا
desk-not-confirmed = تصدیق نہیں ہوئی
desk-unknown-change = نامعلوم تبدیلی۔
desk-no-such-answer = ایسا کوئی جواب نہیں ہے۔
desk-id-not-valid = اس کی شناخت درست نہیں ہے۔
desk-cannot-write-store = ہب اپنے اسٹور میں نہیں لکھ سکتا۔
desk-cannot-write-audit = ہب اپنا آڈٹ لاگ نہیں لکھ سکتا۔
desk-when-today = آج { $time }
# بجے keeps a time right to left when it is put inside another message (its
# placeables are isolated, and an isolate takes its direction from its first letter).
desk-when-day = { $day }، { $time } بجے
desk-error-summary = ایک مسئلہ ہے
desk-error-prefix = خرابی:
desk-field-problem = { $label }: { $problem }
desk-label-name = نام
desk-label-status = حیثیت
desk-label-role = کردار
desk-label-reference = حوالہ
desk-label-answer-by = جواب کی آخری تاریخ

## Signing in and the account

desk-sign-in = سائن ان کریں
desk-label-password = پاس ورڈ
desk-sign-in-hint = اکاؤنٹ نہیں، یا پاس ورڈ بھول گئے؟ اپنے گروپ کے کسی رابطہ کار سے پوچھیں۔
desk-sign-in-too-many = یہاں سے سائن ان کی بہت زیادہ کوششیں: ایک منٹ انتظار کریں اور دوبارہ کوشش کریں
desk-sign-in-cannot = سائن ان نہیں ہو سکتا
desk-sign-in-cannot-check = ہب پاس ورڈ کی جانچ نہیں کر سکا۔
desk-sign-in-wrong = نام یا پاس ورڈ غلط ہے
desk-sign-in-locked = بہت زیادہ غلط پاس ورڈ: یہ اکاؤنٹ { $when } دوبارہ سائن ان کر سکتا ہے
desk-account = آپ کا اکاؤنٹ
desk-account-signed-in = سائن ان کیا
desk-sign-out = سائن آؤٹ کریں
desk-sign-out-everywhere = ہر جگہ سے سائن آؤٹ کریں
desk-sign-out-everywhere-hint = آپ کے اکاؤنٹ کا ہر سیشن، ہر آلے پر، ختم کر دیتا ہے۔
desk-role-coordinator = رابطہ کار
desk-role-worker = کارکن
desk-role-member = پول کا رکن

## Today

desk-today-update-beds = بستر اپ ڈیٹ کریں
desk-today-beds = اپ ڈیٹ کرنے والے بستر
desk-no-safe-houses = یہ ہب کوئی محفوظ گھر درج نہیں کرتا۔
desk-today-beds-hold = ہر گھر کی گنتی کم از کم مزید دو گھنٹے درست رہے گی۔
desk-today-referrals = جواب کے منتظر ریفرلز
desk-today-referral-from = { $hub } کی طرف سے، { $when }
desk-today-answer-by = جواب کی آخری تاریخ
desk-today-closing = اس ہفتے بند ہونے والے
desk-today-closing-none = اس ہفتے کوئی موقع بند نہیں ہو رہا۔
desk-today-closes = { $date } کو بند ہوگا
desk-today-services = جانچنے والی خدمات
desk-today-services-none = ہر خدمت کی تصدیق پچھلے چھ مہینوں میں ہوئی۔
desk-today-services-old = چھ مہینوں سے تصدیق نہیں ہوئی: کیا یہ اب بھی درست ہیں؟ فہرستوں کے صفحے پر ان کی تصدیق کریں:
desk-today-services-confirm = فہرستیں
desk-today-keys = اس ہب کی کلیدیں
desk-today-keys-old = { $days ->
    [one] { $days } دن پہلے بنائی یا آخری بار بدلی گئیں: انہیں بدلیں (سال میں ایک بار، اور جب بھی انہیں رکھنے والا کوئی شخص چھوڑ کر جائے)۔
   *[other] { $days } دن پہلے بنائی یا آخری بار بدلی گئیں: انہیں بدلیں (سال میں ایک بار، اور جب بھی انہیں رکھنے والا کوئی شخص چھوڑ کر جائے)۔
}
desk-today-keys-age = { $days ->
    [one] { $days } دن پہلے بنائی یا آخری بار بدلی گئیں۔
   *[other] { $days } دن پہلے بنائی یا آخری بار بدلی گئیں۔
}
desk-today-keys-how = انہیں بدلنے کے لیے: ہب روکیں، اس کی مشین پر یہ چلائیں، اور اسے دوبارہ شروع کریں؛ علاقہ پیروی کرتا ہے:
desk-today-link = علاقے سے رابطہ
desk-today-connected = منسلک
desk-today-waiting = شائع ہونے کے منتظر
desk-today-in-step = ریلے کے ساتھ ہم آہنگ
desk-today-in-step-never-asked = ہاں: ہب کے شروع ہونے کے بعد کسی ریلے نے دوبارہ کچھ نہیں مانگا
desk-today-in-step-checked = ہاں: ایک ریلے نے آخری بار { $when } جانچا اور کچھ نہیں چھوٹا
desk-today-in-step-missed = { $n ->
    [one] ایک ریلے سے { $n } فہرست چھوٹ گئی، جو { $when } دوبارہ شائع کی گئی؛ اگلی دھڑکن بتائے گی کہ آیا وہ ہم آہنگ ہے
   *[other] ایک ریلے سے { $n } فہرستیں چھوٹ گئیں، جو { $when } دوبارہ شائع کی گئیں؛ اگلی دھڑکن بتائے گی کہ آیا وہ ہم آہنگ ہے
}
desk-today-last-error = آخری خرابی

## Beds

desk-beds-free-now = ابھی خالی بستر
desk-beds-never-reported = کبھی اطلاع نہیں دی گئی
desk-beds-stale-since = { $when } سے پرانی
desk-beds-hold-until = { $when } تک درست
desk-beds-free-until = { $n ->
    [one] { $n } بستر خالی، { $when } تک
   *[other] { $n } بستر خالی، { $when } تک
}
desk-beds-updated = { $when } اپ ڈیٹ ہوا
desk-beds-updated-by = { $when } کو { $who } نے اپ ڈیٹ کیا
desk-beds-free-at = { $house } میں ابھی خالی بستر
desk-beds-n-free = { $n ->
    [one] { $n } بستر خالی
   *[other] { $n } بستر خالی
}
desk-beds-n-free-now = { $n ->
    [one] ابھی { $n } بستر خالی
   *[other] ابھی { $n } بستر خالی
}
desk-beds-n = { $n ->
    [one] { $n } بستر
   *[other] { $n } بستر
}
desk-beds-confirm = بستروں کی تصدیق کریں
desk-beds-how-long = یہ کب تک درست رہے گا؟
desk-beds-hours = { $n ->
    [one] { $n } گھنٹہ
   *[other] { $n } گھنٹے
}
desk-no-such-house = ایسا کوئی گھر نہیں
desk-no-such-house-detail = بستروں کے صفحے پر ایک گھر اور ایک عدد چنیں۔

## Referrals

desk-referrals-cannot-show = ریفرلز نہیں دکھائے جا سکتے
desk-col-referral = ریفرل
desk-col-hub = ہب
desk-referral-made = { $when } بنایا گیا
desk-referral-details-erased = (تفصیلات مٹا دی گئیں)
desk-refer-someone = کسی کو دوسرے گروپ کے پاس ریفر کریں
desk-refer-someone-title = کسی کو ریفر کریں
desk-referrals-inbox = ان باکس: اس گروپ کے پاس ریفر کیے گئے
desk-referrals-inbox-caption = اس گروپ کے پاس ریفرلز
desk-referrals-outbox = آؤٹ باکس: اس گروپ کی طرف سے ریفر کیے گئے
desk-referrals-outbox-caption = اس گروپ کی طرف سے ریفرلز
desk-referral-choose-group = ایک گروپ چنیں
desk-referral-choose-group-error = وہ گروپ چنیں جس کے پاس ریفر کرنا ہے
desk-referral-sealed = آپ اس شخص کے بارے میں جو لکھتے ہیں وہ اس ہب سے نکلنے سے پہلے دوسرے گروپ کے لیے مہر بند کر دیا جاتا ہے، اور کسی اور تک نہیں پہنچتا۔
desk-referral-hub-id = گروپ کے ہب کی شناخت
desk-referral-hub-id-hint = جیسے علاقہ اسے درج کرتا ہے، مثلاً rainbow-crisis-house
desk-referral-to-group = کس گروپ کے پاس
desk-referral-target = ان کا کوئی محفوظ گھر یا موقع (اختیاری)
desk-referral-target-hint = اس کی شناخت، علاقے کے بورڈ سے؛ خود گروپ کے پاس ریفر کرنے کے لیے خالی چھوڑ دیں
desk-referral-target-kind = وہ کس قسم کی فہرست ہے
desk-referral-kind-safehouse = ایک محفوظ گھر
desk-referral-kind-opportunity = ایک موقع
desk-referral-kind-hub = خود گروپ
desk-referral-person-name = اس شخص کا نام یا نام کے ابتدائی حروف
desk-referral-contact = ان سے رابطہ کیسے کریں
desk-referral-contact-hint = فون نمبر یا ای میل، اور کب
desk-referral-no-contact = وہ نہیں چاہتے کہ ان سے رابطہ کیا جائے
desk-referral-needs = انہیں کیا چاہیے
desk-referral-notes = نوٹس (اختیاری)
desk-referral-consent = ان کی رضامندی
desk-referral-consent-hint = انہوں نے اس ریفرل پر کیسے اور کب رضامندی دی، اور کس نے اسے درج کیا
desk-referral-send = ریفرل بھیجیں
desk-no-such-referral = ایسا کوئی ریفرل نہیں
desk-referral = ریفرل
desk-referral-from = { $hub } کی طرف سے ریفرل
desk-referral-to = { $hub } کے پاس ریفرل
desk-referral-made-label = بنایا گیا
desk-referral-for = برائے
desk-referral-person = وہ شخص
desk-referral-erased = ان کی تفصیلات مٹا دی گئی ہیں۔
desk-referral-contact-label = رابطہ
desk-referral-do-not-contact = رابطہ نہ کریں
desk-referral-needs-label = ضروریات
desk-referral-notes-label = نوٹس
desk-referral-consent-label = رضامندی
desk-referral-not-arrived = ان کی تفصیلات ابھی نہیں پہنچیں۔
desk-referral-show = تفصیلات دکھائیں
desk-referral-show-hint = انہیں دکھانا آڈٹ لاگ میں درج ہوتا ہے۔
desk-referral-accept = قبول کریں
desk-referral-decline-reason = انکار کی وجہ
desk-referral-decline-reason-hint = ریفر کرنے والے گروپ کو مہر بند بھیجی جاتی ہے۔
desk-referral-decline = انکار کریں
desk-referral-complete = مکمل شدہ نشان زد کریں
desk-referral-withdraw-reason = واپس لینے کی وجہ (اختیاری)
desk-referral-erase-label = اس شخص کی تفصیلات ہمیشہ کے لیے، دونوں گروپوں میں، مٹا دیں
desk-referral-erase = تفصیلات مٹا دیں
desk-referrals-all = تمام ریفرلز
desk-referral-decline-why = بتائیں کہ آپ کیوں انکار کر رہے ہیں: ریفر کرنے والے گروپ کو بتایا جاتا ہے
desk-referral-erase-tick = تفصیلات مٹانے کے لیے خانے پر نشان لگائیں: یہ واپس نہیں ہو سکتا
desk-referral-status-sent = بھیجا گیا
desk-referral-status-received = موصول ہوا
desk-referral-status-accepted = قبول کیا گیا
desk-referral-status-declined = انکار کیا گیا
desk-referral-status-completed = مکمل ہوا
desk-referral-status-withdrawn = واپس لیا گیا
desk-referral-status-expired = مدت ختم

## Asks

desk-ask-how-phone = فون { $reach }
desk-ask-how-text = پیغام { $reach }
desk-ask-how-email = ای میل { $reach }
desk-ask-how-none = رابطہ نہ کریں: وہ اپنا حوالہ بتا کر خود فون کریں گے
desk-ask-how-when = { $how }، { $when }
desk-asks-cannot-show = پوچھ گچھ نہیں دکھائی جا سکتی
desk-asks-intro = وہ لوگ جنہوں نے علاقے کے بورڈ پر آپ کی فہرستوں کے بارے میں پوچھا۔ یہ دیکھنے کے لیے کہ انہوں نے کیا لکھا اور ان تک کیسے پہنچیں، کوئی ایک کھولیں۔
desk-asks-no-relay = پوچھ گچھ نہیں لی جا رہی: hub.toml کی اس ترتیب میں کسی ریلے کا نام نہیں ہے
desk-asks-paused = پوچھ گچھ روکی ہوئی ہے: بورڈ صرف فون کرنے کا طریقہ دکھاتا ہے۔
desk-asks-taken-today = آج { $cap } میں سے { $n } لی گئیں۔
desk-asks-caption = پوچھ گچھ، تازہ ترین پہلے
desk-col-ask = پوچھ گچھ
desk-col-about = بارے میں
desk-ask-sent = { $when } بھیجی گئی
desk-ask-erased-mark = (مٹا دی گئی)
desk-no-such-ask = ایسی کوئی پوچھ گچھ نہیں
desk-ask = پوچھ گچھ
desk-ask-about = { $listing } کے بارے میں پوچھ گچھ
desk-ask-sent-label = بھیجی گئی
desk-ask-through = ذریعہ
desk-ask-through-relay = ریلے { $relay } کا بورڈ
desk-ask-what-they-wrote = انہوں نے کیا لکھا
desk-ask-not-taken = نہیں لی گئی: یہ دن کی حد سے زیادہ ہونے پر یا پوچھ گچھ رکی ہونے کے دوران آئی، اس لیے اس کا کچھ بھی نہیں رکھا گیا۔ ان سے فون کرنے کو کہا گیا۔
desk-ask-erased = مٹا دی گئی۔
desk-ask-how = ان تک کیسے پہنچیں
desk-ask-their-words = ان کے الفاظ
desk-ask-show = دکھائیں کہ انہوں نے کیا لکھا
desk-ask-show-hint = اسے دکھانا آڈٹ لاگ میں درج ہوتا ہے۔
desk-ask-answer-hint = وہ صرف یہ حیثیت دیکھتے ہیں، اپنے حوالے کے صفحے پر۔
desk-ask-contacted = ہم نے رابطہ کر لیا ہے
desk-ask-close = اسے بند کریں
desk-ask-book = بک کریں
desk-ask-book-job = اس پوچھ گچھ سے ایک کام بک کریں
desk-ask-erase-label = انہوں نے جو لکھا اسے ہمیشہ کے لیے مٹا دیں
desk-asks-all = تمام پوچھ گچھ
desk-ask-erase-tick = انہوں نے جو لکھا اسے مٹانے کے لیے خانے پر نشان لگائیں: یہ واپس نہیں ہو سکتا
desk-ask-status-received = موصول ہوئی
desk-ask-status-contacted = رابطہ ہو گیا
desk-ask-status-closed = بند
desk-ask-status-not-taken = نہیں لی گئی

## Listings

desk-listings-newest = ہر قسم کی تازہ ترین
desk-listings-opportunities = مواقع
desk-listings-services = خدمات
desk-listings-offers = کاروبار
desk-listings-safehouses = محفوظ گھر
desk-add-opportunity = ایک موقع شامل کریں
desk-add-service = ایک خدمت شامل کریں
desk-add-offer = ایک کاروبار شامل کریں
desk-add-safehouse = ایک محفوظ گھر شامل کریں
desk-change-opportunity = یہ موقع تبدیل کریں
desk-change-service = یہ خدمت تبدیل کریں
desk-change-offer = یہ کاروبار تبدیل کریں
desk-change-safehouse = یہ محفوظ گھر تبدیل کریں
desk-older-opportunities = پرانے مواقع
desk-older-services = پرانی خدمات
desk-older-offers = پرانے کاروبار
desk-older-safehouses = پرانے محفوظ گھر
desk-import-services-link = خدمات درآمد کریں (HSDS)
desk-service-confirmed = { $date } کو تصدیق ہوئی
desk-service-never-confirmed = کبھی تصدیق نہیں ہوئی
desk-service-still-right = اب بھی درست ہے
desk-listings-offers-hint = پول کے کاروبار، ہر ایک علاقے میں شائع ہوتا ہے: یہ کیا کرتا ہے، کہاں، اس کی شرح اور بکنگ کا طریقہ۔
desk-listings-offers-no-fair-rate = پول کے کاروبار چلانے سے پہلے hub.toml میں علاقے کی منصفانہ شرح، پاؤنڈ فی گھنٹہ، مقرر کریں:
desk-opportunity-status-open = کھلا
desk-opportunity-status-filled = پُر ہو گیا
desk-opportunity-status-withdrawn = واپس لیا گیا
desk-no-such-listing = ایسی کوئی فہرست نہیں
desk-no-such-listing-detail = ہو سکتا ہے اسے پہلے ہی واپس لے لیا گیا ہو۔
desk-no-such-family = اس قسم کی کوئی فہرست نہیں ہے۔
desk-no-such-service = ایسی کوئی خدمت نہیں
desk-withdraw-question = { $name } واپس لیں؟
desk-withdraw-what = یہ علاقے کے بورڈ، ڈائریکٹری اور اوپن ڈیٹا سے غائب ہو جاتی ہے۔ اسے دوبارہ شائع نہیں کیا جا سکتا۔

## The listings' forms

desk-label-title = عنوان
desk-label-kind = قسم
desk-label-sector = شعبہ
desk-sector-ordinary = ایک عام ملازمت یا کورس
desk-sector-mental-health = ذہنی صحت کے شعبے میں
desk-label-description = تفصیل
desk-label-area = علاقہ
desk-hint-area-opportunity = کوئی قصبہ یا پوسٹ کوڈ ڈسٹرکٹ، مثلاً Leeds LS6: ڈسٹرکٹ کے ساتھ، قریب کے لوگ اسے پہلے پاتے ہیں
desk-label-remote = گھر سے کیا جا سکتا ہے
desk-label-hours = ہفتے میں گھنٹے
desk-hint-hours = اگر یہ بدلتا رہتا ہے تو خالی چھوڑ دیں
desk-label-pay = معاوضہ، پاؤنڈ میں
desk-hint-pay = مثلاً 12.21؛ اگر بلا معاوضہ ہے تو خالی چھوڑ دیں
desk-label-pay-per = معاوضہ فی
desk-paid-per-hour = گھنٹہ
desk-paid-per-session = سیشن
desk-paid-per-day = دن
desk-label-expenses-paid = اخراجات ادا کیے جاتے ہیں
desk-label-skills = مہارتیں
desk-hint-commas = کوما سے الگ کیے ہوئے
desk-label-how-to-apply = درخواست کیسے دیں
desk-label-closes-on = بند ہونے کی تاریخ
desk-hint-closes-on = YYYY-MM-DD (سال-مہینہ-دن)؛ اگر یہ بند نہیں ہوتا تو خالی چھوڑ دیں
desk-error-hours-not-number = ہفتے میں گھنٹے: یہ عدد نہیں ہے: { $typed }
desk-error-pay-not-pounds = معاوضہ: یہ پاؤنڈ میں رقم نہیں ہے: { $typed }
desk-error-status-withdrawn = حیثیت: اس کے بجائے اسے فہرست سے واپس لیں
desk-error-not-whole-number = { $label }: یہ مکمل عدد نہیں ہے: { $typed }
desk-hint-area-safehouse = کوئی قصبہ یا پوسٹ کوڈ ڈسٹرکٹ، پتا کبھی نہیں: علاقہ ڈسٹرکٹ کا مرکز دکھاتا ہے
desk-label-for = یہ کس کے لیے ہے
desk-hint-for = اگر یہ ہر کسی کے لیے ہے تو سب پر نشان کے بغیر چھوڑ دیں۔
desk-label-beds-total = کل بستر
desk-label-wheelchair = وہیل چیئر کے لیے قابل رسائی
desk-label-self-referral = لوگ خود کو ریفر کر سکتے ہیں
desk-label-longest-stay = سب سے لمبا قیام
desk-label-longest-stay-nights = سب سے لمبا قیام، راتوں میں
desk-hint-longest-stay = اگر کوئی حد نہیں تو خالی چھوڑ دیں
desk-label-phone = فون
desk-hint-phone-safehouse = وہ نمبر جس پر لوگ بستر مانگنے کے لیے فون کرتے ہیں
desk-label-what-it-is = یہ کیا ہے
desk-label-categories = زمرے
desk-hint-categories = کوما سے الگ کیے ہوئے، ان میں سے: { $categories }
desk-label-street = گلی
desk-hint-street = جہاں لوگ آتے ہیں: گلی اور نمبر۔ فون یا آن لائن خدمت کے لیے پتا خالی چھوڑ دیں۔
desk-label-town = قصبہ
desk-label-postcode = پوسٹ کوڈ
desk-hint-postcode = مکمل پوسٹ کوڈ، مثال کے طور پر LS1 6DT
desk-label-email = ای میل
desk-label-website = ویب سائٹ
desk-label-free = مفت
desk-hint-offer-name = کاروبار، جیسے لوگ اسے جانتے ہیں، مثلاً Green Hands Garden Co-op
desk-label-what-it-does = یہ کیا کرتا ہے
desk-hint-offer-skills = یہ کیا کرتا ہے، ان الفاظ میں جو لوگ تلاش کرتے ہیں، کوما سے الگ: باغبانی، باڑ کی کٹائی
desk-label-areas = یہ کہاں کام کرتا ہے
desk-hint-offer-areas = قصبے یا پوسٹ کوڈ ڈسٹرکٹ، کوما سے الگ، مثلاً Leeds LS6, Bradford
desk-label-rate = فی گھنٹہ شرح
desk-label-rate-pounds = فی گھنٹہ شرح، پاؤنڈ میں
desk-hint-rate = مثلاً 15.50: کم از کم علاقے کی منصفانہ شرح
desk-label-rate-note = شرح کے بارے میں
desk-hint-rate-note = مثلاً سامان الگ سے؛ کم از کم دو گھنٹے
desk-label-how-to-book = بک کیسے کریں
desk-hint-how-to-book = مثلاً 07700 900123 پر فون یا پیغام کریں، ہفتے کے دنوں میں 9 سے 5

## Importing services

desk-import-services = خدمات درآمد کریں
desk-import-checked = جانچ لیا: { $created } بنائے گا، { $updated } اپ ڈیٹ کرے گا، { $unchanged } کو جوں کا توں چھوڑے گا؛ { $refused } مسترد
desk-import-done = درآمد ہو گیا: { $created } بنائے، { $updated } اپ ڈیٹ کیے، { $unchanged } جوں کے توں چھوڑے؛ { $refused } مسترد
desk-import-nothing-written = کچھ نہیں لکھا گیا۔ فائل دوبارہ چنیں اور اسے درآمد کریں۔
desk-import-wrong = فائل میں کیا غلط ہے
desk-import-where = کہاں
desk-import-field = خانہ
desk-import-problem = مسئلہ
desk-import-intro = HSDS 3 یا Open Referral UK کی JSON فائل سے: ایک خدمت، ان کی فہرست، یا API کا ایک صفحہ۔ اسی ڈائریکٹری سے دوبارہ درآمد کی گئی خدمت پہلے درآمد کی گئی خدمت کو اپ ڈیٹ کرتی ہے۔
desk-import-file = فائل
desk-import-check = جانچیں (کچھ نہیں لکھتا)
desk-import = درآمد کریں
desk-import-not-text = فائل کو متن کے طور پر نہیں پڑھا جا سکا
desk-import-upload-failed = اپ لوڈ ناکام ہو گیا: { $why }
desk-import-choose-file = درآمد کرنے کے لیے ایک فائل چنیں

## Workers (coordinators only)

desk-users-password-of = { $name } کا پاس ورڈ یہ ہے:
desk-users-password-give = انہیں یہ خود جا کر دیں۔ یہ دوبارہ نہیں دکھایا جائے گا۔
desk-users-caption = ڈیسک کے اکاؤنٹس
desk-users-last-signed-in = آخری سائن ان
desk-users-change = تبدیلی
desk-users-new-password = نیا پاس ورڈ
desk-users-remove = ہٹائیں
desk-users-add = ایک کارکن شامل کریں
desk-users-name-hint = چھوٹے انگریزی حروف، ہندسے، '.'، '-' یا '_'، مثلاً sam.k
desk-users-role-worker = کارکن: فہرستیں، بستر اور ریفرلز
desk-users-role-coordinator = رابطہ کار: کارکنوں کے اکاؤنٹس اور آڈٹ لاگ بھی
desk-users-role-member = پول کا رکن: صرف ان کی اپنی کام کی پیشکشیں اور آمدنی
desk-account-error-name-empty = نام: خالی نہیں ہونا چاہیے
desk-account-error-name-long = نام: زیادہ سے زیادہ { $n } حروف
desk-account-error-name-letter = نام: { $letter } کی اجازت نہیں: چھوٹے انگریزی حروف، ہندسے، '.'، '-' یا '_' استعمال کریں
desk-account-error-name-own = آپ اپنا اکاؤنٹ نہیں ہٹا سکتے
desk-account-error-role = کردار: نامعلوم قدر { $role }؛ ان میں سے ایک متوقع ہے: coordinator, worker, member
desk-account-error-exists = { $name } نام کا ڈیسک صارف پہلے سے موجود ہے
desk-account-error-unknown = { $name } نام کا کوئی ڈیسک صارف نہیں ہے
desk-account-error-last-coordinator = { $name } آخری رابطہ کار ہے: پہلے کسی اور کو رابطہ کار بنائیں، ورنہ ڈیسک کے اکاؤنٹس کا انتظام نہیں ہو سکے گا

## The audit log (coordinators only)

desk-audit-intro = اس ہب پر ڈیسک کے ذریعے یا kith کمانڈ سے کی گئی ہر تبدیلی: کس نے، کب، کیا۔ یہ اسی ہب پر رہتا ہے۔
desk-audit-caption = تبدیلیاں، تازہ ترین پہلے
desk-audit-when = کب
desk-audit-who = کس نے
desk-audit-what = کیا
desk-audit-about = بارے میں

## Leaving the region (coordinators only)

desk-leave-left = یہ ہب علاقہ چھوڑ چکا ہے: اس کی فہرستیں ہر جگہ سے واپس لے لی گئی ہیں۔
desk-leave-what = اس ہب کی ہر فہرست علاقے کے بورڈ، ڈائریکٹری اور اوپن ڈیٹا سے واپس لے لی جاتی ہے، اور دوسرے گروپ اب لوگوں کو اس کے پاس ریفر نہیں کر سکتے۔ یہ واپس نہیں ہو سکتا: واپس آنے کے لیے، علاقے کا رابطہ کار گروپ کو دوبارہ شامل کرتا ہے۔
desk-leave-referrals = پہلے سے بنے ریفرلز جاری رہتے ہیں: آپ اب بھی ان کا جواب دے سکتے ہیں اور انہیں بند کر سکتے ہیں۔
desk-leave-confirm = تصدیق کے لیے، اس ہب کی شناخت ٹائپ کریں
desk-leave-confirm-hint = یہ ہے: { $hub }
desk-leave-type = تصدیق کے لیے { $hub } ٹائپ کریں

## The pool

desk-pool-cannot-show = پول نہیں دکھایا جا سکتا
desk-pool-book-job = ایک کام بک کریں
desk-pool-add-member = ایک رکن شامل کریں
desk-pool-figures-link = گروپ کے اعداد و شمار: گھنٹے، معاوضہ، نہ لیے گئے کام
desk-pool-businesses-link = کاروبار، جیسے علاقہ انہیں دیکھتا ہے
desk-pool-waiting = کسی کے منتظر
desk-pool-week-from = { $date } سے شروع ہونے والا ہفتہ
desk-pool-week-before = پچھلا ہفتہ
desk-pool-week-after = اگلا ہفتہ
desk-pool-no-jobs-week = اس ہفتے کوئی کام بک نہیں ہوا۔
desk-pool-jobs-caption = اس ہفتے کے کام، دن بہ دن
desk-pool-day = دن
desk-pool-job = کام
desk-pool-hours = گھنٹے
desk-pool-who = کون
desk-pool-members = اراکین
desk-pool-no-members = ابھی کوئی رکن نہیں۔
desk-pool-members-caption = اراکین، اس ہفتے کی ان کی آمدنی کے ساتھ
desk-pool-member = رکن
desk-pool-can-do = کر سکتے ہیں
desk-pool-this-week = اس ہفتے
desk-pool-status-open = کھلا
desk-pool-status-offered = پیش کیا گیا
desk-pool-status-accepted = قبول کیا گیا
desk-pool-status-done = مکمل
desk-pool-status-turned-down = نہیں لیا گیا
desk-pool-status-cancelled = منسوخ
desk-pool-status-booked = بک ہوا
desk-pool-status-declined = انکار کیا
desk-pool-status-worked = کام کیا
desk-pool-reason-skills-missing = کسی رکن نے نہیں کہا کہ وہ یہ کر سکتا ہے
desk-pool-reason-no-one-free = اس وقت کوئی فارغ نہیں
desk-pool-reason-pay-too-low = معاوضہ اس سے کم ہے جس پر اراکین کام کرتے ہیں
desk-pool-reason-over-limits = یہ ہر ایک کو اس کی اپنی حد سے آگے لے جائے گا
desk-pool-reason-members-declined = جن اراکین سے پوچھا گیا انہوں نے انکار کیا
desk-pool-why-skills-missing = { $name } نے نہیں کہا کہ وہ وہ کر سکتے ہیں جو اس کے لیے چاہیے
desk-pool-why-not-free = { $name } اس وقت فارغ نہیں
desk-pool-why-busy = { $name } کے پاس اس وقت کوئی اور کام ہے
desk-pool-why-declined = { $name } نے اس کام سے انکار کیا
desk-pool-why-rate-too-low = { $name } اس سے زیادہ فی گھنٹہ پر کام کرتے ہیں جتنا یہ دیتا ہے
desk-pool-why-over-limit = یہ { $name } کو اس ہفتے ان کی اپنی حد سے آگے لے جائے گا
desk-pool-back = پول پر واپس
desk-pool-save = محفوظ کریں
desk-pool-hint-contact = صرف اسی ہب پر رکھا جاتا ہے، بٹن دبانے کے بعد دکھایا جاتا ہے۔
desk-pool-label-skills = وہ کیا کر سکتے ہیں
desk-pool-hint-skills = ہر سطر میں ایک، یا کوما سے الگ: باغبانی، باڑ کی کٹائی۔
desk-pool-label-availability = وہ کب کام کر سکتے ہیں
desk-pool-hint-availability = ہر سطر میں ایک، دن اور اوقات: tue 09:00-17:00۔
desk-pool-label-away = وہ دن جب وہ کام نہیں کر سکتے
desk-pool-hint-away = ہر سطر میں ایک: 2026-12-24..2027-01-02، یا ایک دن۔
desk-pool-label-min-rate = کم از کم فی گھنٹہ شرح جس پر وہ کام کرتے ہیں، پاؤنڈ میں
desk-pool-hint-fair-rate = کم از کم علاقے کی منصفانہ شرح۔
desk-pool-label-weekly-limit = ان کی اپنی ہفتہ وار آمدنی کی حد، پاؤنڈ میں
desk-pool-hint-weekly-limit = صرف اگر وہ کوئی حد رکھتے ہیں، مثلاً Permitted Work کی حد۔ ورنہ خالی چھوڑ دیں۔
desk-pool-label-desk-user = ان کا ڈیسک اکاؤنٹ، اگر ہے
desk-pool-hint-desk-user = رکن کے کردار والا اکاؤنٹ: وہ پیشکشوں کا جواب خود دیتے ہیں۔
desk-pool-error-min-rate = کم از کم فی گھنٹہ شرح بتائیں جس پر وہ کام کرتے ہیں
desk-pool-error-too-much = { $label }: بہت زیادہ
desk-pool-change-member = ایک رکن تبدیل کریں
desk-pool-member-erased = اس رکن کی تفصیلات مٹا دی گئیں۔
desk-pool-no-such-member = ایسا کوئی رکن نہیں
desk-pool-erased-member = مٹایا گیا رکن
desk-pool-erased-member-detail = ان کی تفصیلات مٹا دی گئیں۔ ان کے کیے ہوئے کاموں کے گھنٹے اور معاوضہ گروپ کے اعداد و شمار میں ان کے نام کے بغیر رہتے ہیں۔
desk-pool-earnings = آمدنی
desk-pool-this-week-from = اس ہفتے ({ $date } سے)
desk-pool-this-month = اس مہینے
desk-pool-tax-year-from = اس ٹیکس سال ({ $date } سے)
desk-pool-their-limit = ان کی ہفتہ وار حد
desk-pool-no-limit = یہاں کوئی نہیں رکھی گئی
desk-pool-statement = معاوضے کا گوشوارہ
desk-pool-from = سے
desk-pool-to = تک
desk-pool-show-statement = گوشوارہ دکھائیں
desk-pool-details = تفصیلات
desk-pool-away = غیر حاضر
desk-pool-from-to = { $from } سے { $to } تک
desk-pool-least-rate = کم از کم شرح جس پر وہ کام کرتے ہیں
desk-pool-desk-account = ڈیسک اکاؤنٹ
desk-pool-show-contact = دکھائیں کہ ان تک کیسے پہنچیں
desk-pool-change-details = ان کی تفصیلات تبدیل کریں
desk-pool-erase-hint = ان کا نام، ان تک پہنچنے کا طریقہ، مہارتیں اور حد ہمیشہ کے لیے مٹا دی جاتی ہیں۔ ان کے کیے ہوئے کاموں کے گھنٹے اور معاوضہ ان کے نام کے بغیر رہتے ہیں۔
desk-pool-erase-label = اس رکن کی تفصیلات ہمیشہ کے لیے مٹا دیں
desk-pool-erase-tick = ان کی تفصیلات مٹانے کے لیے خانے پر نشان لگائیں: یہ واپس نہیں ہو سکتا
desk-pool-not-erased = نہیں مٹایا گیا
desk-pool-no-statement = کوئی گوشوارہ نہیں
desk-pool-statement-from = { $group } کی طرف سے
desk-pool-no-work = اس مدت میں کوئی کام درج نہیں ہوا۔
desk-pool-work-caption = کیا گیا کام، دن بہ دن
desk-pool-work = کام
desk-pool-rate = شرح
desk-pool-pay = معاوضہ
desk-pool-total = کل
desk-pool-earnings-limit = آمدنی اور ان کی حد
desk-pool-that-month = اس مہینے
desk-pool-tax-year-from-plain = { $date } سے شروع ہونے والا ٹیکس سال
desk-pool-print = یہ صفحہ پرنٹ کریں، یا اس کمانڈ سے PDF بنائیں:
desk-pool-back-member = رکن پر واپس
desk-pool-business-none = کوئی نہیں: خود پول کے ساتھ بک کیا گیا
desk-pool-from-ask = ایک پوچھ گچھ سے بک کیا گیا: اس شخص نے جو لکھا وہ پوچھ گچھ کے ساتھ رہتا ہے۔ یہاں صرف وہی نقل کریں جو کام کے لیے ضروری ہے۔
desk-pool-label-what = کیا کرنا ہے
desk-pool-hint-date = YYYY-MM-DD (سال-مہینہ-دن) کی شکل میں، مثلاً 2026-12-08۔
desk-pool-label-start = شروع ہونے کا وقت
desk-pool-hint-start = HH:MM (گھنٹہ:منٹ) کی شکل میں، مثلاً 09:30۔
desk-pool-label-hours = کتنی دیر، گھنٹوں میں
desk-pool-hint-hours = مثلاً 3، 2.5 یا 2:30۔
desk-pool-label-rate = کارکن کو فی گھنٹہ معاوضہ، پاؤنڈ میں
desk-pool-label-job-skills = اس کے لیے درکار مہارتیں
desk-pool-hint-job-skills = ہر سطر میں ایک، یا کوما سے الگ۔
desk-pool-where = کہاں
desk-pool-booked-by = کس نے بک کیا
desk-pool-label-business = کس کے ساتھ بک کیا گیا
desk-pool-no-such-job = ایسا کوئی کام نہیں
desk-pool-pay-for-job = { $rate }: { $pay }
desk-pool-taken-by = کس نے لیا
desk-pool-worked = کام کیا
desk-pool-worked-paid = { $hours }، معاوضہ { $pay }
desk-pool-offered-to = کسے پیش کیا گیا
desk-pool-offered-hint = ان اراکین کا جواب یہاں درج کریں جن کا اپنا ڈیسک اکاؤنٹ نہیں ہے۔
desk-pool-they-take-it = وہ اسے لیتے ہیں
desk-pool-they-say-no = وہ انکار کرتے ہیں
desk-pool-who-could = اسے کون لے سکتا ہے
desk-pool-no-one = کوئی یہ کام نہیں لے سکتا
desk-pool-earned-this-week = اس ہفتے { $pay }
desk-pool-room-after = اس کام کے بعد ان کی حد میں { $pay } باقی
desk-pool-offer-to = { $name } کو پیش کریں
desk-pool-not-proposed = تجویز نہیں کیے گئے
desk-pool-over-limit-chooses = { $name } جانتے ہیں کہ یہ انہیں ان کی حد سے آگے لے جاتا ہے، اور یہی چنتے ہیں
desk-pool-offer-anyway = پھر بھی پیش کریں
desk-pool-hours-worked = کام کے گھنٹے
desk-pool-hint-hours-worked = مثلاً 3، 2.5 یا 2:30۔ معاوضہ شرح سے نکلتا ہے۔
desk-pool-record-hours = گھنٹے درج کریں
desk-pool-end-it = اسے ختم کریں
desk-pool-why-optional = کیوں (اختیاری)
desk-pool-hint-why = اگر پول اسے نہیں لے سکتا اور آپ اسے خالی چھوڑ دیں، تو وجہ ان سے نکالی جاتی ہے جو نہیں لے سکے۔
desk-pool-cannot-take = پول اسے نہیں لے سکتا
desk-pool-called-off = بک کرنے والے نے اسے منسوخ کر دیا
desk-pool-history-step-member = { $status } ({ $member })، از { $by }، { $when }
desk-pool-no-step = ایسا کوئی قدم نہیں ہے۔
desk-pool-no-figures = کوئی اعداد و شمار نہیں
desk-pool-figures = گروپ کے اعداد و شمار
desk-pool-show = دکھائیں
desk-pool-jobs-booked = بک کیے گئے کام
desk-pool-jobs-done = مکمل کیے گئے کام
desk-pool-paid-to-members = اراکین کو ادا کیا گیا
desk-pool-members-paid = جن اراکین کو ادائیگی ہوئی
desk-pool-cancelled = بک کرنے والوں کی طرف سے منسوخ
desk-pool-turned-down = وہ کام جو پول نہیں لے سکا
desk-pool-skills-needed = درکار مہارتیں:

## A member's own page

desk-me-not-linked = آپ کا اکاؤنٹ ابھی پول کے کسی رکن سے منسلک نہیں: اپنے رابطہ کار سے پوچھیں۔
desk-me-not-member = یہ صفحہ پول کے اراکین کے لیے ہے، ان کے اپنے اکاؤنٹ کے ساتھ۔
desk-me-offered = آپ کو پیش کیے گئے
desk-me-nothing-waiting = آپ کے جواب کا کچھ بھی منتظر نہیں۔
desk-me-pays = معاوضہ { $pay } ({ $rate })
desk-me-take = میں یہ لوں گا
desk-me-not-this = یہ نہیں
desk-me-your-jobs = آپ کے کام
desk-me-none-booked = کوئی بک نہیں۔
desk-me-earnings = آپ کی آمدنی
desk-me-tax-year = اس ٹیکس سال
