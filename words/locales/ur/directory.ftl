# چھپی ہوئی ڈائریکٹری (PDF اور HTML)۔
#
# NEEDS REVIEW by a native Urdu speaker: these translations were written by the
# project and have not yet been checked: see words/locales/README.md.

directory-title = { $region } کی ڈائریکٹری
directory-printed = { $date } کو چھاپی گئی
directory-all-areas = تمام علاقے
directory-in-or-near = { $area } میں یا اس کے قریب کی فہرستیں
directory-changes-quickly = جو کچھ کھلا ہے وہ جلدی بدلتا ہے۔
directory-call-before = آخری تاریخیں اور خالی بستر اس وقت درست تھے جب یہ چھاپی گئی۔ جانے سے پہلے براہ کرم فون کریں: ہر اندراج میں لکھا ہے کہ رابطہ کیسے کریں اور آخری بار تصدیق کب ہوئی۔
directory-on-the-board = ابھی کیا کھلا ہے، اور ابھی کتنے بستر خالی ہیں، یہ بورڈ پر ہے:
directory-listed-by = { $region } کے صارفین کی قیادت والے گروپوں کی فہرست: ہم مرتبہ گروپ، کوآپریٹو، بحران اور محفوظ گھروں کی اجتماعی تنظیمیں۔ آخر میں مراکز کی فہرست بتاتی ہے کہ ہر گروپ سے کیسے رابطہ کریں۔
directory-contents = فہرست مضامین
directory-nothing-here = اس وقت یہاں کچھ درج نہیں۔
directory-index = مراکز کی فہرست
directory-index-about = وہ گروپ جن کی فہرستیں اس ڈائریکٹری میں ہیں، اور ان سے رابطے کا طریقہ۔
directory-contact = رابطہ:
directory-helpline = ہیلپ لائن:
directory-page = صفحہ
directory-more = جتنی ایک چھپی ہوئی ڈائریکٹری میں آ سکتی ہیں اس سے زیادہ فہرستیں درج ہیں: انہیں بورڈ پر تلاش کریں، یا ایک وقت میں ایک علاقہ چھاپیں۔
directory-online = آن لائن یا فون پر
directory-last-confirmed = آخری تصدیق { $date }
directory-nothing-listed = اس ڈائریکٹری میں کچھ نہیں
directory-listed-here = اس ڈائریکٹری میں: { $list }
count-opportunities = { $n ->
    [one] { $n } موقع
   *[other] { $n } مواقع
}
count-services = { $n ->
    [one] { $n } خدمت
   *[other] { $n } خدمات
}
count-safe-houses = { $n ->
    [one] { $n } محفوظ گھر
   *[other] { $n } محفوظ گھر
}
count-businesses = { $n ->
    [one] { $n } کاروبار
   *[other] { $n } کاروبار
}

## Sections

section-intro-safe-houses = ہسپتال یا سڑک کے بجائے رہنے کی کوئی محفوظ جگہ۔ خالی بستر صرف اس وقت تک چھاپے جاتے ہیں جب تک تعداد تازہ ہو: جانے سے پہلے ہمیشہ فون کریں۔
section-intro-services = عام خدمات اور ذہنی صحت کی خدمات، علاقے کے لحاظ سے۔
section-intro-work = ملازمتیں، اپرنٹس شپ اور سماجی کاروبار: عام ملازمتیں بھی اور ذہنی صحت کے شعبے کی ملازمتیں بھی۔
section-intro-involvement = خدمات کے آپ کے تجربے سے کیا جانے والا معاوضے والا کام: پینل، تربیت، تحقیق، جائزے۔
section-intro-training = کورس اور تربیت، بشمول ذاتی تجربہ رکھنے والے لوگوں کی ہم مرتبہ تدریس۔
section-intro-volunteering = بلا معاوضہ کردار۔ جہاں لکھا ہو وہاں اخراجات ادا کیے جاتے ہیں۔
section-intro-businesses = علاقے کے گروپوں کے ارکان کے چلائے ہوئے کاروبار — باغبانی، رنگ و روغن، تدریس اور بہت کچھ — منصفانہ شرح پر فی گھنٹہ معاوضہ۔ ہر ایک کے بتائے ہوئے طریقے سے براہ راست بک کریں۔

## Entries

entry-beds-free = چھپائی کے وقت { $total } میں سے { $free } بستر خالی (اطلاع { $when } دی گئی)
before-printing-just = چھپائی سے ذرا پہلے
before-printing-minutes = { $n ->
    [one] چھپائی سے { $n } منٹ پہلے
   *[other] چھپائی سے { $n } منٹ پہلے
}
before-printing-hours = { $n ->
    [one] چھپائی سے { $n } گھنٹہ پہلے
   *[other] چھپائی سے { $n } گھنٹے پہلے
}
before-printing-days = { $n ->
    [one] چھپائی سے { $n } دن پہلے
   *[other] چھپائی سے { $n } دن پہلے
}
entry-beds-call = خالی بستر: فون کر کے معلوم کریں
entry-for = { $who } کے لیے
entry-stays = { $n ->
    [one] زیادہ سے زیادہ { $n } رات کا قیام
   *[other] زیادہ سے زیادہ { $n } راتوں کا قیام
}
entry-wheelchair = وہیل چیئر کی رسائی
entry-self-referral = آپ خود رجوع کر سکتے ہیں
entry-referral-needed = ریفرل ضروری ہے
entry-safe-house = { $beds ->
    [one] محفوظ گھر، { $beds } بستر
   *[other] محفوظ گھر، { $beds } بستر
}
entry-open = کھلنے کے اوقات { $hours }
entry-free = مفت
entry-costs = قیمت: { $fees }
entry-also-in = ان زبانوں میں بھی: { $languages }
entry-mental-health-service = { $kinds } (ذہنی صحت)
entry-works-in = کام کے علاقے: { $areas }
entry-to-book = بک کرنے کے لیے: { $how }
entry-closes = آخری تاریخ { $date }
entry-from-home = گھر سے کیا جا سکتا ہے
entry-support = مدد: { $support }
entry-lived-experience = ان لوگوں کے لیے جنہیں ذہنی صحت کی خدمات کا ذاتی تجربہ ہے
entry-to-apply = درخواست کے لیے: { $how }
entry-ordinary-job = { $kind }، عام ملازمت
entry-in-mental-health = { $kind }، ذہنی صحت کے شعبے میں

## What the region is missing

missing-heading = علاقے میں کیا کمی ہے
missing-intro = کمیشن دینے والوں کے لیے: ہفتہ { $week } میں لوگوں نے بورڈ اور ہیلپ لائن اسکرین پر کیا تلاش کیا اور نہیں ملا، اور وہ گھنٹے جب کسی محفوظ گھر میں کوئی بستر خالی نہیں تھا۔
missing-none = اس ہفتے دکھانے کو کوئی عدد نہیں۔
missing-people = { $n ->
    [one] { $area }: { $what } — { $n } شخص
   *[other] { $area }: { $what } — { $n } لوگ
}
missing-term = { $n ->
    [one] { $area }: “{ $what }” — { $n } شخص
   *[other] { $area }: “{ $what }” — { $n } لوگ
}
missing-no-bed = { $area }: { $who } کے لیے کوئی بستر خالی نہیں — { $hours } گھنٹے
missing-work = { $jobs ->
    [one] وہ کام جو کسی گروپ کا پول نہیں لے سکا: { $work } ({ $why }) — { $jobs } کام
   *[other] وہ کام جو کسی گروپ کا پول نہیں لے سکا: { $work } ({ $why }) — { $jobs } کام
}
missing-note = ہر عدد لوگوں کو گنتا ہے، ہر ایک کو دن میں ایک بار؛ { $threshold } سے کم لوگوں کا عدد نہیں دکھایا جاتا، نہ ہی وہ جسے کل میزان ظاہر کر دے۔ جو کام کوئی پول نہیں لے سکا وہ بک کیے گئے کاموں کو گنتا ہے۔ { $licence } کے تحت شائع کیا گیا۔
