# Kith کے مشترکہ الفاظ: رقم، گھنٹے، تاریخیں، کتنی دیر پہلے، فہرستوں کی قسمیں۔
#
# NEEDS REVIEW by a native Urdu speaker: these translations were written by the
# project and have not yet been checked: see words/locales/README.md.

## Money and hours

pay-unpaid = بلا معاوضہ
pay-per-hour = { $amount } فی گھنٹہ
pay-per-session = { $amount } فی نشست
pay-per-day = { $amount } فی دن
pay-expenses = { $pay }، اخراجات ادا کیے جاتے ہیں
rate-note = { $rate } ({ $note })
hours-a-week = { $hours ->
    [one] ہفتے میں { $hours } گھنٹہ
   *[other] ہفتے میں { $hours } گھنٹے
}
work-hours = { $n ->
    [one] { $hours } گھنٹہ
   *[other] { $hours } گھنٹے
}
week-earned-booked = { $earned } (+{ $booked } بک شدہ)
week-limit-left = { $limit } میں سے { $earned } — { $left } باقی
week-limit-over = { $limit } میں سے { $earned } — حد سے { $over } زیادہ

## Dates and times

month-1 = جنوری
month-2 = فروری
month-3 = مارچ
month-4 = اپریل
month-5 = مئی
month-6 = جون
month-7 = جولائی
month-8 = اگست
month-9 = ستمبر
month-10 = اکتوبر
month-11 = نومبر
month-12 = دسمبر
date = { $day } { $month } { $year }
weekday-monday = پیر
weekday-tuesday = منگل
weekday-wednesday = بدھ
weekday-thursday = جمعرات
weekday-friday = جمعہ
weekday-saturday = ہفتہ
weekday-sunday = اتوار
day-date = { $weekday }، { $date }
ago-never = کبھی نہیں
ago-just-now = ابھی ابھی
ago-minutes = { $n ->
    [one] { $n } منٹ پہلے
   *[other] { $n } منٹ پہلے
}
ago-hours = { $n ->
    [one] { $n } گھنٹہ پہلے
   *[other] { $n } گھنٹے پہلے
}
ago-days = { $n ->
    [one] { $n } دن پہلے
   *[other] { $n } دن پہلے
}
schedule-by-appointment = وقت لے کر
schedule-days-by-appointment = { $days } وقت لے کر

## Distances

distance-under-1 = 1 کلومیٹر سے کم
distance-km = { $km } کلومیٹر

## Kinds of work

kind-paid-job = تنخواہ والی ملازمت
kind-training = تربیت
kind-volunteering = رضاکارانہ کام
kind-peer-teaching = ہم مرتبہ تدریس
kind-paid-involvement = معاوضے کے ساتھ شرکت
kind-apprenticeship = اپرنٹس شپ
kind-social-enterprise = سماجی کاروبار

## Who a safe house is for

for-women = خواتین
for-men = مرد
for-trans-nonbinary = ٹرانس اور نان بائنری افراد
for-lgbtq = LGBTQ+ افراد
for-black-minority-ethnic = سیاہ فام اور اقلیتی نسلی افراد
for-young-adults = نوجوان بالغ
for-anyone = کوئی بھی

## Kinds of service

category-employment-support = روزگار میں مدد
category-benefits-and-money = بینیفٹس اور رقم کے بارے میں مشورہ
category-housing = رہائش
category-training-and-education = تربیت اور تعلیم
category-peer-support = ہم مرتبہ مدد
category-crisis = بحران میں مدد
category-arts-and-leisure = فنون اور تفریح
category-health = صحت
category-legal-and-advocacy = قانونی اور حقوق کی وکالت
category-food = کھانا
category-family-and-carers = خاندان اور نگہداشت کرنے والے
category-digital-inclusion = ڈیجیٹل شمولیت
category-drugs-and-alcohol = منشیات اور شراب
category-community-and-social = کمیونٹی اور سماجی
category-transport = آمد و رفت
