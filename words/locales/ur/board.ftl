# بورڈ: ریلے کے ویب صفحات، ہیلپ لائن اور وارڈ کی اسکرینیں، "اس کے بارے میں پوچھیں"
# اور علاقے میں کیا کمی ہے۔
#
# NEEDS REVIEW by a native Urdu speaker: these translations were written by the
# project and have not yet been checked: see words/locales/README.md.

## The page around every page

page-title = { $title } — Kith { $region }
board-name = Kith { $region }
skip-to-main = مرکزی مواد پر جائیں
nav-board = بورڈ
nav-languages = زبان
nav-search = کام، تربیت اور خدمات
nav-safe-houses = ابھی محفوظ گھر
nav-hubs = مراکز
nav-helpline = ہیلپ لائن
nav-directory = ڈائریکٹری پرنٹ کریں
nav-needs = کیا کمی ہے
footer-listed-by = { $region } کے صارفین کی قیادت والے گروپوں کی فہرست۔ یہاں کچھ بھی ذاتی ڈیٹا نہیں ہے؛ کوئی کوکی نہیں رکھی جاتی۔
footer-distances = فاصلے پوسٹ کوڈ اضلاع کے مراکز کے درمیان ہیں۔
back-to-search = تلاش پر واپس جائیں
page-not-found = صفحہ نہیں ملا
page-not-found-detail = اس پتے پر کوئی صفحہ نہیں ہے۔
too-many-live = بہت زیادہ براہ راست صفحات
too-many-live-detail = یہ دیکھنے کے لیے کہ کیا بدلا ہے، صفحہ دوبارہ لوڈ کریں۔
busy = بورڈ مصروف ہے
busy-detail = اس وقت بہت زیادہ تلاشیں چل رہی ہیں۔ تھوڑی دیر بعد دوبارہ کوشش کریں۔
busy-slow = تلاش میں بہت دیر لگی۔ کم الفاظ، یا چھوٹا علاقہ آزمائیں۔
not-found = نہیں ملا
not-found-listing = ہو سکتا ہے اس کے مرکز نے اسے واپس لے لیا ہو، یا پتہ غلط ہو۔
not-found-ask = ہو سکتا ہے اس کے گروپ نے اسے واپس لے لیا ہو، یا پتہ غلط ہو۔
form-unreadable = فارم پڑھا نہیں جا سکا
form-unreadable-ask = فہرست پر واپس جائیں اور دوبارہ کوشش کریں۔
form-unreadable-back = واپس جائیں اور دوبارہ کوشش کریں۔
not-available = دستیاب نہیں
try-again-later = بعد میں دوبارہ کوشش کریں۔
unknown-kind = نامعلوم قسم
yes = ہاں
no = نہیں
any = کوئی بھی
and = اور

## Places

where = کہاں؟
where-hint = کوئی قصبہ، یا پوسٹ کوڈ ضلع جیسے { $example }: سب سے قریب پہلے آتے ہیں
no-such-district = کوئی پوسٹ کوڈ ضلع { $district } نہیں ہے: اسے چیک کریں، یا کسی قصبے کا نام لکھیں۔
place-problem = { $problem }: اسے چیک کریں، یا کسی قصبے کا نام لکھیں۔
nothing-in-nearest = { $area } میں کچھ نہیں؛ سب سے قریب:
away = { $distance } دور
where-away = { $area }، { $distance } دور

## Search

search-title = تلاش
search-heading = آپ کے لیے یہاں قریب کیا کھلا ہے
search-q = آپ کیا تلاش کر رہے ہیں؟
search-q-hint = مثال کے طور پر: باغبانی، کیفے میں کام، بینیفٹس کا مشورہ، ہم مرتبہ گروپ
search-what = کس کی تلاش
search-what-all = کام، تربیت اور خدمات
search-what-work = صرف کام، تربیت اور رضاکارانہ کام
search-what-services = صرف خدمات
search-what-businesses = صرف وہ کاروبار جنہیں آپ بک کر سکتے ہیں
search-kind = کام کی قسم
search-category = خدمت کی قسم
search-only = صرف
search-only-ordinary = عام ملازمتیں اور خدمات (صرف ذہنی صحت والی نہیں)
search-only-paid = تنخواہ والا کام
search-only-remote = گھر سے کام
search-only-open = ابھی کھلی خدمات
search-only-free = مفت خدمات
search-only-limit = آمدنی کی حد کے اندر کام ({ $limit } فی ہفتہ)
search-button = تلاش کریں
too-many-words = بہت زیادہ الفاظ
too-many-words-detail = زیادہ سے زیادہ 16 الفاظ استعمال کریں (آپ نے { $n } دیے)۔
results-count = { $n ->
    [0] کوئی نتیجہ نہیں
    [one] { $n } نتیجہ
   *[other] { $n } نتائج
}
results-work = کام، تربیت اور رضاکارانہ کام ({ $n }{ $more })
results-work-limit = کام کو { $limit } کی ہفتہ وار آمدنی کی حد کے مطابق نشان زد کیا گیا ہے۔
benefits-advice = بینیفٹس اور کام کے بارے میں پوچھیں:
results-work-none = کچھ نہیں ملا۔ کم الفاظ، یا کوئی اور علاقہ آزمائیں۔
results-services = خدمات ({ $n }{ $more })
results-services-none = کوئی خدمت نہیں ملی۔ کم الفاظ، یا کوئی اور علاقہ آزمائیں۔
results-businesses = کاروبار جنہیں آپ بک کر سکتے ہیں ({ $n }{ $more })
results-businesses-about = علاقے کے گروپوں کے کاروباروں کا کیا ہوا کام، فی گھنٹہ معاوضے پر۔
results-businesses-none = کوئی کاروبار نہیں ملا۔ کم الفاظ، یا کوئی اور علاقہ آزمائیں۔
or-from-home = یا گھر سے
in-mental-health = ذہنی صحت کی خدمات میں
label-pay = تنخواہ:
label-hours = اوقات:
label-closes = آخری تاریخ:
label-support = مدد:
label-how-to-apply = درخواست کیسے دیں:
label-rate = شرح:
label-phone = فون:
label-to-book = بک کرنے کے لیے:
label-cost = قیمت:
label-how-to-get-it = کیسے حاصل کریں:
label-contact = رابطہ:
label-helpline = ہیلپ لائن:
today-mark = (آج)
within-limit = { $limit } فی ہفتہ کی آمدنی کی حد کے اندر ({ $weekly } فی ہفتہ)
over-limit = { $limit } فی ہفتہ کی آمدنی کی حد سے زیادہ ({ $weekly } فی ہفتہ)
pays-below-fair = { $fair } فی گھنٹہ کی منصفانہ شرح سے کم ادائیگی
charges-below-fair = { $fair } فی گھنٹہ کی منصفانہ شرح سے کم معاوضہ لیتا ہے
open-now = ابھی کھلا ہے
hours-ask = پوچھیں
cost-free = مفت
cost-ask = قیمت کے بارے میں پوچھیں
cost-ask-short = پوچھیں
not-confirmed-since = { $date } سے تصدیق نہیں ہوئی — فون کر کے معلوم کریں
never-confirmed = کبھی تصدیق نہیں ہوئی — فون کر کے معلوم کریں

## A listing's page

row-listed-by = فہرست میں شامل کرنے والا
row-contact = رابطہ
row-pay = تنخواہ
row-hours = اوقات
row-closes = آخری تاریخ
row-skills = مہارتیں
row-support = پیش کی جانے والی مدد
row-lived-experience = ذاتی تجربہ
lived-experience-required = ضروری ہے
lived-experience-welcome = خوش آمدید، ضروری نہیں
row-how-to-apply = درخواست کیسے دیں
row-phone = فون
row-where = کہاں
row-cost = قیمت
row-who-for = کس کے لیے ہے
row-how-to-get-it = کیسے حاصل کریں
row-refer-yourself = خود رجوع کریں
row-languages = زبانیں
row-access = رسائی
row-email = ای میل
row-website = ویب سائٹ
row-run-by = چلانے والا
row-last-confirmed = آخری تصدیق
row-rate = شرح
row-what-it-does = یہ کیا کرتا ہے
row-where-it-works = یہ کہاں کام کرتا ہے
row-how-to-book = کیسے بک کریں
row-beds = بستر
row-wheelchair = وہیل چیئر کی رسائی
row-longest-stay = زیادہ سے زیادہ قیام
about-it = اس کے بارے میں
business-of = { $hub } کا ایک کاروبار
exit-page = یہ صفحہ چھوڑیں
danger-call-999 = اگر آپ ابھی خطرے میں ہیں تو 999 پر کال کریں۔
bed-call = یہاں بستر کے بارے میں پوچھنے کے لیے کال کریں:
house-for = { $who } کے لیے
refer-no-ask-worker = نہیں: کسی کارکن سے کہیں کہ آپ کو ریفر کرے
nights = { $n ->
    [one] { $n } رات
   *[other] { $n } راتیں
}
address-by-phone = پتہ فون پر بتایا جاتا ہے، یہاں کبھی نہیں۔
availability-reported = دستیابی کی اطلاع { $ago } دی گئی۔

## Safe houses and hubs

beds-free-now = ابھی خالی بستر
beds-none-free = کوئی خالی نہیں
beds-free = { $n } خالی
beds-updated = ({ $ago } اپ ڈیٹ ہوا)
beds-unknown = نامعلوم — فون کر کے معلوم کریں
safe-houses-heading = ابھی محفوظ گھر
who-for = کس کے لیے
who-for-anyone = کوئی بھی
houses-for = { $who } کے لیے گھر
show-houses = گھر دکھائیں
no-houses-match = کوئی محفوظ گھر نہیں ملا۔
houses-caption = خالی بستر جیسا کہ ہر گھر نے آخری بار بتایا۔ بہت پرانی تعداد کو نامعلوم دکھایا جاتا ہے۔
col-house = گھر
col-for = کس کے لیے
col-area = علاقہ
col-phone = فون
col-kind = قسم
col-people = لوگ
col-word = لفظ
col-hours = گھنٹے
col-work = کام
col-why = کیوں
col-jobs = کام کی تعداد
listed-by = { $hub } کی فہرست میں
houses-update-themselves = جب کوئی گھر اپنے بستروں کی اطلاع دیتا ہے تو یہ فہرست خود بخود اپ ڈیٹ ہو جاتی ہے۔
hubs-heading = { $region } کے مراکز
hubs-about = صارفین کی قیادت والے گروپ: ہم مرتبہ گروپ، کوآپریٹو، بحران اور محفوظ گھروں کی اجتماعی تنظیمیں۔
hubs-roster = یہاں ہر مرکز علاقے کی فہرست میں شامل ہے، جس پر اس کے رابطہ کار کے دستخط ہیں، اور اسے فہرست والے نام سے دکھایا جاتا ہے۔
hubs-no-roster = اس علاقے کی کوئی فہرست نہیں: ہر مرکز اس نام سے درج ہے جو وہ خود کو دیتا ہے۔ جہاں دو ایک ہی نام دیں، ہر ایک کو اس کی مرکز شناخت کے ساتھ دکھایا جاتا ہے۔
hubs-none = ابھی تک کوئی مرکز نہیں دیکھا گیا۔
hubs-range = مراکز { $first } سے { $last }، کل { $all }
hub-on-roster = علاقے کی فہرست میں شامل (مرکز کی شناخت { $hub })
hub-counts = { $opportunities ->
    [one] { $opportunities } موقع
   *[other] { $opportunities } مواقع
}، { $services ->
    [one] { $services } خدمت
   *[other] { $services } خدمات
}، { $businesses ->
    [one] { $businesses } کاروبار
   *[other] { $businesses } کاروبار
}، { $houses ->
    [one] { $houses } محفوظ گھر
   *[other] { $houses } محفوظ گھر
}
last-seen = آخری بار { $ago } دیکھا گیا
hub-diverged = ہو سکتا ہے اس کی کچھ فہرستیں یہاں { $ago } سے غائب ہوں؛ مرکز سے انہیں دوبارہ بھیجنے کو کہا گیا ہے۔
hubs-pages = مراکز کے صفحات
previous-page = پچھلا صفحہ
next-page = اگلا صفحہ

## The helpline and the ward screen

helpline-where = کال کرنے والا کہاں ہے؟
helpline-want = انہیں کیا چاہیے؟
want-safe = آج رات کے لیے محفوظ جگہ
want-service = کوئی خدمت (مشورہ، کھانا، مدد…)
want-work = کام یا رضاکارانہ کام
want-training = تربیت یا تعلیم
helpline-find = معلوم کریں کیا کھلا ہے
open-now-near = { $area } کے قریب ابھی کھلا ہے
helpline-nothing-region = علاقے میں ابھی کھلی کوئی چیز نہیں ملی۔ "کوئی بھی" یا کسی اور قسم کی مدد آزمائیں۔
helpline-nothing = کچھ نہیں ملا۔ بڑا علاقہ آزمائیں، یا علاقہ خالی چھوڑ دیں۔
helpline-checked = { $time } پر دیکھا گیا۔ پہلے نمبر پڑھ کر سنائیں؛ یہ صفحہ ایک ورق پر پرنٹ ہوتا ہے۔
line-no-beds = ابھی کوئی بستر خالی نہیں
line-beds-free = { $n ->
    [one] ابھی { $n } بستر خالی ہے
   *[other] ابھی { $n } بستر خالی ہیں
}
line-beds-unknown = بستروں کا علم نہیں، فون کر کے معلوم کریں
line-house = {" "}({ $place }): { $beds }؛ { $who } کے لیے
line-open-now = ابھی کھلا ہے
line-not-open-now = ابھی بند ہے
line-service = : { $kinds }؛ { $when }
line-service-away = {" "}({ $distance } دور): { $kinds }؛ { $when }
line-work = {" "}({ $kind }، { $place }): { $pay }
slide-safe = محفوظ گھر
slide-service = یہاں قریب خدمات
slide-work = کام اور رضاکارانہ کام
slide-training = تربیت اور تعلیم
screen-nothing = اس وقت یہاں کچھ درج نہیں۔ عملے کے کسی رکن سے پوچھیں۔
screen-call = کال کریں
screen-slide-of = { $all } میں سے { $n }۔
screen-resume = خود بخود آگے بڑھیں
screen-changes-every = ہر { $secs } سیکنڈ میں بدلتا ہے۔
screen-pause = روکیں
screen-next = اگلا

## Ask about this

ask-heading = اس کے بارے میں پوچھیں
ask-them = اس کے بارے میں { $hub } سے پوچھیں۔
call-them = { $hub } کو کال کریں:
ask-intro = اپنا نام اور آپ سے رابطے کا طریقہ چھوڑیں، اور { $hub } آپ سے رابطہ کرے گا۔
ask-or-call = یا انہیں کال کریں:
error-summary = ایک مسئلہ ہے
ask-name = آپ کا نام یا پہلا نام
ask-how = وہ آپ سے کیسے رابطہ کریں؟
ask-how-phone = مجھے فون کریں
ask-how-text = مجھے پیغام بھیجیں
ask-how-email = مجھے ای میل کریں
ask-how-none = مجھ سے رابطہ نہ کریں — میں آپ کو کال کروں گا
ask-reach = فون نمبر یا ای میل پتہ
ask-reach-hint = اگر آپ خود انہیں کال کریں گے تو اسے خالی چھوڑ دیں۔
ask-when = کون سا وقت مناسب ہے؟ (اختیاری)
ask-words = چند الفاظ (اختیاری)
ask-consent = میں متفق ہوں کہ یہ { $hub } کو دیا جائے، اور کسی اور کو نہیں۔
ask-trap = اسے خالی چھوڑیں
ask-send = بھیجیں
ask-sealing = آپ جو لکھتے ہیں اسے صرف { $hub } پڑھ سکتا ہے: یہ صفحہ چھوڑنے سے پہلے ان کی کلید سے مہر بند کر دیا جاتا ہے (یا، اگر اس صفحے کا اسکرپٹ نہ چلے، تو پہنچتے ہی بورڈ اسے مہر بند کر دیتا ہے)۔ بورڈ صرف یہ رکھتا ہے کہ یہ کس فہرست کے بارے میں تھا۔
ask-error-how = منتخب کریں کہ وہ آپ سے کیسے رابطہ کریں، یا یہ کہ آپ انہیں کال کریں گے
ask-error-name = اپنا نام یا پہلا نام لکھیں
ask-error-consent = اس بات سے اتفاق کے لیے خانے پر نشان لگائیں کہ یہ گروپ کو دیا جائے
ask-error-email = ای میل پتہ لکھیں، جیسے sam@example.org
ask-error-phone = فون نمبر لکھیں، جیسے 07700 900123
ask-error-when = وقت کم الفاظ میں بتائیں
ask-error-words = کم الفاظ استعمال کریں
ask-about = { $title } کے بارے میں پوچھیں
back-to = { $title } پر واپس جائیں
not-sent = نہیں بھیجا گیا
not-sent-cross-site = درخواست صرف اسی بورڈ کے صفحات سے بھیجی جاتی ہے۔
not-sent-client = اس پتے سے تھوڑے وقت میں کئی درخواستیں بھیجی گئی ہیں، اس لیے یہ نہیں بھیجی گئی۔ بعد میں دوبارہ کوشش کریں۔
not-sent-hub-cap = { $hub } کو آج اتنی درخواستیں مل چکی ہیں جتنی وہ لے سکتے ہیں، اس لیے یہ نہیں بھیجی گئی۔
not-sent-closed = { $hub } اس وقت اس کے بارے میں درخواستیں نہیں لے رہا۔
not-sent-invalid = جو بھیجا گیا وہ پڑھا نہیں جا سکا، اس لیے کچھ نہیں بھیجا گیا۔
not-sent-unavailable = بورڈ اس وقت اسے نہیں بھیج سکا، اس لیے کچھ نہیں بھیجا گیا۔ چند منٹ بعد دوبارہ کوشش کریں۔
you-can-call = آپ { $hub } کو کال کر سکتے ہیں:
sent = بھیج دیا گیا
sent-to = { $hub } کو بھیج دیا گیا
your-reference = آپ کا حوالہ نمبر ہے
keep-it = اسے سنبھال کر رکھیں:
the-page-for = اس کا صفحہ
reference-page-shows = دکھاتا ہے کہ آیا { $hub } کو آپ کی درخواست ملی ہے اور انہوں نے رابطہ کیا ہے۔ آپ نے جو لکھا وہ وہاں نہیں دکھایا جاتا۔
rather-call = اگر آپ انہیں کال کرنا پسند کریں:
give-reference = انہیں اپنا حوالہ نمبر بتائیں۔
not-a-reference = یہ حوالہ نمبر نہیں ہے
not-a-reference-detail = حوالہ نمبر میں دس حروف اور ہندسے ہوتے ہیں، جیسے 7KQ2-M9XD-4T۔ اسے چیک کریں اور دوبارہ کوشش کریں۔
unknown-reference = ہم یہ حوالہ نمبر نہیں جانتے
unknown-reference-detail = اسے چیک کریں اور دوبارہ کوشش کریں۔ علاقے کے کسی اور بورڈ سے بھیجی گئی درخواست گروپ کو ملنے کے بعد یہاں نظر آتی ہے۔
ask-reference = درخواست
status-sent = { $hub } کے اسے وصول کرنے کا انتظار ہے۔ گروپ درخواستیں تب وصول کرتے ہیں جب ان کا مرکز آن لائن ہو؛ اس میں کچھ وقت لگ سکتا ہے۔
status-received-heading = موصول ہو گئی
status-received = { $hub } کو آپ کی درخواست مل گئی ہے۔ وہ آپ کے بتائے ہوئے طریقے سے رابطہ کریں گے۔
status-contacted-heading = رابطہ ہو گیا
status-contacted = { $hub } نے رابطہ کیا ہے، یا کوشش کی ہے۔
status-closed-heading = بند
status-closed = { $hub } نے یہ درخواست بند کر دی ہے۔
status-not-taken-heading = نہیں لی گئی
status-not-taken = { $hub } آپ کی درخواست نہیں لے سکا (اس دن ان کے پاس جتنی گنجائش تھی اتنی درخواستیں آ چکی تھیں)۔ براہ کرم انہیں کال کریں اور اپنا حوالہ نمبر بتائیں۔
to-reach = { $hub } سے رابطے کے لیے:

## What is missing

need-what = آپ کیا تلاش کر رہے تھے؟
need-what-hint = چند الفاظ۔ علاقے کو یہ دکھانے کے لیے کہ کیا کمی ہے، انہیں دوسروں کے الفاظ کے ساتھ گنا جاتا ہے؛ اور کچھ نہیں رکھا جاتا، نہ آپ کے بارے میں کچھ۔
need-tell = علاقے کو بتائیں
not-counted = شمار نہیں ہوا
not-counted-detail = یہ صرف اسی بورڈ کے صفحات سے کہا جاتا ہے۔
thank-you = شکریہ
need-counted = آپ جو تلاش کر رہے تھے اسے دوسروں کی تلاش کے ساتھ گنا جاتا ہے، اور جب کافی لوگ ایک ہی بات کہہ دیں تو ہر ہفتے شائع کیا جاتا ہے:
need-counted-link = علاقے میں کیا کمی ہے
needs-none = یہ ریلے ضرورتیں شمار نہیں کرتا۔
needs-unreadable = اس وقت اعداد و شمار پڑھے نہیں جا سکتے۔
needs-hidden = { $threshold } سے کم، یا پوشیدہ
needs-chart = اس ہفتے وہ لوگ جنہوں نے ہر قسم کی چیز تلاش کی اور کچھ نہیں ملا
needs-heading = علاقے میں کیا کمی ہے
needs-about = اس بورڈ اور اس کی ہیلپ لائن اسکرین پر وہ تلاشیں جن میں کچھ نہیں ملا، لوگوں نے جو بتایا کہ وہ کیا تلاش کر رہے تھے، اور گروپوں کے پول میں بک کیا گیا وہ کام جو کوئی نہیں لے سکا، ہفتہ وار۔ ایک عدد لوگوں کو گنتا ہے، ہر ایک کو دن میں ایک بار، تلاشوں کو کبھی نہیں؛ کوئی پتہ، کوئی کوکی اور پوسٹ کوڈ ضلع یا ہفتے سے باریک کچھ نہیں رکھا جاتا۔ { $threshold } سے کم لوگوں کا عدد نہیں دکھایا جاتا، اور نہ ہی کوئی ایسا دوسرا عدد جس سے کل میزان اسے ظاہر کر دے۔
needs-open-data = اوپن ڈیٹا کے طور پر:
needs-csv = CSV
needs-json = JSON
needs-under = اس لائسنس کے تحت:
needs-this-week = یہ ہفتہ ({ $week })
needs-nothing-yet = اس ہفتے ابھی دکھانے کو کچھ نہیں۔
needs-no-week = پچھلے { $weeks } ہفتوں میں سے کسی میں دکھانے کو کوئی عدد نہیں۔
needs-week = ہفتہ { $week }
needs-kinds-caption = تلاش کیا اور نہیں ملا، علاقے اور قسم کے لحاظ سے (لوگ)
needs-terms-caption = وہ الفاظ جو لوگوں نے تلاش کیے (لوگ)
needs-beds-caption = وہ گھنٹے جب کسی محفوظ گھر میں کوئی بستر خالی نہیں تھا (یا بتایا نہیں گیا)، علاقے کے لحاظ سے اور یہ کہ گھر کس کے لیے ہیں
needs-work-caption = گروپوں کے پول میں بک کیا گیا کام جو کوئی نہیں لے سکا (کام)
need-anything = کچھ بھی
need-work = کام
need-training = تربیت
need-service = کوئی خدمت
need-business = بک کرنے کے لیے کوئی کاروبار
need-safe-place = کوئی محفوظ جگہ
need-for = { $who } کے لیے { $what }
need-anywhere = کہیں بھی
need-unknown-place = کوئی معلوم جگہ نہیں

## Printing a directory

directory-about = { $region } کی ایک ڈائریکٹری جسے پرنٹ کریں، دیوار پر لگائیں یا کسی کو دیں: جو کچھ درج ہے، قسم اور علاقے کے لحاظ سے، رابطے کے طریقے کے ساتھ اور یہ کہ ہر اندراج کی آخری تصدیق کب ہوئی۔ یہ ایک PDF ہے جسے اسکرین ریڈر پڑھ سکتے ہیں۔
directory-where-hint = کوئی قصبہ، یا پوسٹ کوڈ کا آغاز جیسے LS یا LS6۔ پورے علاقے کے لیے خالی چھوڑ دیں۔
directory-include = کیا شامل کریں
directory-include-hint = اگر کسی پر نشان نہ ہو تو سب کچھ شامل ہو گا۔
directory-large-print = بڑا پرنٹ (16 پوائنٹ ٹائپ)
directory-language = ڈائریکٹری کی زبان
directory-make = PDF بنائیں
directory-takes-time = PDF بنانے میں چند سیکنڈ لگ سکتے ہیں۔
directory-busy = ایک اور ڈائریکٹری بن رہی ہے
directory-busy-detail = ایک منٹ بعد دوبارہ کوشش کریں۔
directory-failed = ڈائریکٹری نہیں بن سکی
section-safe-houses = محفوظ گھر
section-services = خدمات
section-work = کام
section-involvement = معاوضے کے ساتھ شرکت
section-training = تربیت اور ہم مرتبہ تدریس
section-volunteering = رضاکارانہ کام
section-businesses = علاقے کے گروپوں سے بک کیا جانے والا کام
