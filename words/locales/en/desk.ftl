# The desk: a group's own pages on its hub, for its workers and coordinators.
# English is the source language: every other language's files have the same keys.
# What the group typed (a listing's title, a person's name) is never a message.

## The page around every page

desk-page-title = { $title } – { $group } desk
desk-name = { $group } desk
desk-skip-to-main = Skip to main content
desk-nav-desk = Desk
desk-nav-languages = Language
desk-nav-today = Today
desk-nav-beds = Beds
desk-nav-referrals = Referrals
desk-nav-asks = Asks
desk-nav-listings = Listings
desk-nav-pool = Pool
desk-nav-workers = Workers
desk-nav-audit = Audit log
desk-nav-leave = Leave the region
desk-nav-my-work = My work
desk-nav-signed-in-as = Signed in as { $name }
desk-back-to-today = Back to today
desk-page-not-found = Page not found
desk-page-not-found-detail = There is no page at this address.
desk-coordinators-only = Only coordinators can open this page
desk-coordinators-only-detail = Ask one of your group's coordinators.
desk-form-expired = This form has expired
desk-form-expired-detail = Go back, reload the page and send the form again.
desk-refused-cross-site = Refused: this form was sent from another site.

## Words many pages share

desk-colon = :{ " " }
desk-yes = Yes
desk-no = No
desk-none = None.
desk-none-yet = None yet.
desk-never = never
desk-add = Add
desk-cancel = Cancel
desk-confirm = Confirm
desk-change = Change
desk-withdraw = Withdraw
desk-erase = Erase
desk-older = Older
desk-answer = Answer
desk-history = History
desk-history-step = { $status } by { $by }, { $when }
desk-save-changes = Save the changes
desk-not-changed = Not changed
desk-not-done = Not done
desk-not-shown = Not shown
desk-not-withdrawn = Not withdrawn
desk-not-confirmed = Not confirmed
desk-unknown-change = Unknown change.
desk-no-such-answer = There is no such answer.
desk-id-not-valid = Its id is not valid.
desk-cannot-write-store = The hub cannot write to its store.
desk-cannot-write-audit = The hub cannot write its audit log.
desk-when-today = today { $time }
desk-when-day = { $day } { $time }
desk-error-summary = There is a problem
desk-error-prefix = Error:
desk-field-problem = { $label }: { $problem }
desk-label-name = Name
desk-label-status = Status
desk-label-role = Role
desk-label-reference = Reference
desk-label-answer-by = Answer by

## Signing in and the account

desk-sign-in = Sign in
desk-label-password = Password
desk-sign-in-hint = No account, or forgotten your password? Ask a coordinator of your group.
desk-sign-in-too-many = Too many sign-in attempts from here: wait a minute and try again
desk-sign-in-cannot = Cannot sign in
desk-sign-in-cannot-check = The hub could not check the password.
desk-sign-in-wrong = The name or the password is wrong
desk-sign-in-locked = Too many wrong passwords: this account can sign in again { $when }
desk-account = Your account
desk-account-signed-in = Signed in
desk-sign-out = Sign out
desk-sign-out-everywhere = Sign out everywhere
desk-sign-out-everywhere-hint = Ends every session of your account, on every device.
desk-role-coordinator = Coordinator
desk-role-worker = Worker
desk-role-member = Member of the pool

## Today

desk-today-update-beds = Update beds
desk-today-beds = Beds to update
desk-no-safe-houses = This hub lists no safe houses.
desk-today-beds-hold = Every house's count holds for at least two more hours.
desk-today-referrals = Referrals waiting for an answer
desk-today-referral-from = From { $hub }, { $when }
desk-today-answer-by = answer by
desk-today-closing = Closing this week
desk-today-closing-none = No opportunity closes this week.
desk-today-closes = closes { $date }
desk-today-services = Services to check
desk-today-services-none = Every service was confirmed in the last six months.
desk-today-services-old = Not confirmed for six months: are they still right? Confirm them on the listings page:
desk-today-services-confirm = Listings
desk-today-keys = This hub's keys
desk-today-keys-old = { $days ->
    [one] Made or last changed { $days } day ago: change them (once a year, and whenever someone who held them leaves).
   *[other] Made or last changed { $days } days ago: change them (once a year, and whenever someone who held them leaves).
}
desk-today-keys-age = { $days ->
    [one] Made or last changed { $days } day ago.
   *[other] Made or last changed { $days } days ago.
}
desk-today-keys-how = To change them: stop the hub, run this on its machine, and start it again; the region follows:
desk-today-link = Link to the region
desk-today-connected = Connected
desk-today-waiting = Waiting to be published
desk-today-in-step = In step with the relays
desk-today-in-step-never-asked = Yes: no relay has asked for anything again since the hub started
desk-today-in-step-checked = Yes: a relay last checked { $when } and missed nothing
desk-today-in-step-missed = { $n ->
    [one] A relay missed { $n } listing, published again { $when }; the next heartbeat shows whether it is in step
   *[other] A relay missed { $n } listings, published again { $when }; the next heartbeat shows whether it is in step
}
desk-today-last-error = Last error

## Beds

desk-beds-free-now = Beds free now
desk-beds-never-reported = never reported
desk-beds-stale-since = stale since { $when }
desk-beds-hold-until = holds until { $when }
desk-beds-free-until = { $n ->
    [one] { $n } bed free until { $when }
   *[other] { $n } beds free until { $when }
}
desk-beds-updated = updated { $when }
desk-beds-updated-by = updated { $when } by { $who }
desk-beds-free-at = Beds free now at { $house }
desk-beds-n-free = { $n ->
    [one] { $n } bed free
   *[other] { $n } beds free
}
desk-beds-n-free-now = { $n ->
    [one] { $n } bed free now
   *[other] { $n } beds free now
}
desk-beds-n = { $n ->
    [one] { $n } bed
   *[other] { $n } beds
}
desk-beds-confirm = Confirm beds
desk-beds-how-long = For how long does this hold?
desk-beds-hours = { $n ->
    [one] { $n } hour
   *[other] { $n } hours
}
desk-no-such-house = No such house
desk-no-such-house-detail = Choose a house and a number on the beds page.

## Referrals

desk-referrals-cannot-show = Referrals cannot be shown
desk-col-referral = Referral
desk-col-hub = Hub
desk-referral-made = Made { $when }
desk-referral-details-erased = (details erased)
desk-refer-someone = Refer someone to another group
desk-refer-someone-title = Refer someone
desk-referrals-inbox = Inbox: referred to this group
desk-referrals-inbox-caption = Referrals to this group
desk-referrals-outbox = Outbox: referred by this group
desk-referrals-outbox-caption = Referrals by this group
desk-referral-choose-group = Choose a group
desk-referral-choose-group-error = Choose the group to refer to
desk-referral-sealed = What you write about the person is sealed to the other group before it leaves this hub, and reaches no one else.
desk-referral-hub-id = The group's hub id
desk-referral-hub-id-hint = As the region lists it, e.g. rainbow-crisis-house
desk-referral-to-group = To which group
desk-referral-target = A safe house or opportunity of theirs (optional)
desk-referral-target-hint = Its id, from the region's board; leave empty to refer to the group itself
desk-referral-target-kind = What kind of listing that is
desk-referral-kind-safehouse = A safe house
desk-referral-kind-opportunity = An opportunity
desk-referral-kind-hub = The group itself
desk-referral-person-name = The person's name or initials
desk-referral-contact = How to contact them
desk-referral-contact-hint = A phone number or email, and when
desk-referral-no-contact = They do not want to be contacted
desk-referral-needs = What they need
desk-referral-notes = Notes (optional)
desk-referral-consent = Their consent
desk-referral-consent-hint = How they agreed to this referral, when, and who recorded it
desk-referral-send = Send the referral
desk-no-such-referral = No such referral
desk-referral = Referral
desk-referral-from = Referral from { $hub }
desk-referral-to = Referral to { $hub }
desk-referral-made-label = Made
desk-referral-for = For
desk-referral-person = The person
desk-referral-erased = Their details have been erased.
desk-referral-contact-label = Contact
desk-referral-do-not-contact = Do not contact
desk-referral-needs-label = Needs
desk-referral-notes-label = Notes
desk-referral-consent-label = Consent
desk-referral-not-arrived = Their details have not arrived yet.
desk-referral-show = Show details
desk-referral-show-hint = Showing them is recorded in the audit log.
desk-referral-accept = Accept
desk-referral-decline-reason = Reason for declining
desk-referral-decline-reason-hint = Sent to the referring group, sealed.
desk-referral-decline = Decline
desk-referral-complete = Mark as completed
desk-referral-withdraw-reason = Reason for withdrawing (optional)
desk-referral-erase-label = Erase this person's details for good, at both groups
desk-referral-erase = Erase details
desk-referrals-all = All referrals
desk-referral-decline-why = Say why you are declining: the referring group is told
desk-referral-erase-tick = Tick the box to erase the details: it cannot be undone
desk-referral-status-sent = sent
desk-referral-status-received = received
desk-referral-status-accepted = accepted
desk-referral-status-declined = declined
desk-referral-status-completed = completed
desk-referral-status-withdrawn = withdrawn
desk-referral-status-expired = expired

## Asks

desk-ask-how-phone = Phone { $reach }
desk-ask-how-text = Text { $reach }
desk-ask-how-email = Email { $reach }
desk-ask-how-none = Do not contact: they will call, quoting their reference
desk-ask-how-when = { $how }, { $when }
desk-asks-cannot-show = Asks cannot be shown
desk-asks-intro = People who asked about your listings on the region's board. Open one to see what they wrote and how to reach them.
desk-asks-no-relay = Not taking asks: no relay is named in hub.toml's setting
desk-asks-paused = Asks are paused: the board shows only how to call.
desk-asks-taken-today = { $n } of { $cap } taken today.
desk-asks-caption = Asks, newest first
desk-col-ask = Ask
desk-col-about = About
desk-ask-sent = Sent { $when }
desk-ask-erased-mark = (erased)
desk-no-such-ask = No such ask
desk-ask = Ask
desk-ask-about = Ask about { $listing }
desk-ask-sent-label = Sent
desk-ask-through = Through
desk-ask-through-relay = The board of relay { $relay }
desk-ask-what-they-wrote = What they wrote
desk-ask-not-taken = Not taken: it came over the day's cap or while asks were paused, so nothing of it was kept. They were asked to call.
desk-ask-erased = Erased.
desk-ask-how = How to reach them
desk-ask-their-words = Their words
desk-ask-show = Show what they wrote
desk-ask-show-hint = Showing it is recorded in the audit log.
desk-ask-answer-hint = They see only this status, on the page for their reference.
desk-ask-contacted = We have been in touch
desk-ask-close = Close it
desk-ask-book = Book it
desk-ask-book-job = Book a job from this ask
desk-ask-erase-label = Erase what they wrote, for good
desk-asks-all = All asks
desk-ask-erase-tick = Tick the box to erase what they wrote: it cannot be undone
desk-ask-status-received = received
desk-ask-status-contacted = contacted
desk-ask-status-closed = closed
desk-ask-status-not-taken = not taken

## Listings

desk-listings-newest = The newest of every kind
desk-listings-opportunities = Opportunities
desk-listings-services = Services
desk-listings-offers = Businesses
desk-listings-safehouses = Safe houses
desk-add-opportunity = Add an opportunity
desk-add-service = Add a service
desk-add-offer = Add a business
desk-add-safehouse = Add a safe house
desk-change-opportunity = Change this opportunity
desk-change-service = Change this service
desk-change-offer = Change this business
desk-change-safehouse = Change this safe house
desk-older-opportunities = Older opportunities
desk-older-services = Older services
desk-older-offers = Older businesses
desk-older-safehouses = Older safe houses
desk-import-services-link = Import services (HSDS)
desk-service-confirmed = Confirmed { $date }
desk-service-never-confirmed = Never confirmed
desk-service-still-right = Still right
desk-listings-offers-hint = The pool's businesses, each published to the region with what it does, where, its rate and how to book.
desk-listings-offers-no-fair-rate = Set the region's fair rate, in pounds an hour, in hub.toml before running a pool's businesses:
desk-opportunity-status-open = open
desk-opportunity-status-filled = filled
desk-opportunity-status-withdrawn = withdrawn
desk-no-such-listing = No such listing
desk-no-such-listing-detail = It may have been withdrawn already.
desk-no-such-family = There is no such kind of listing.
desk-no-such-service = No such service
desk-withdraw-question = Withdraw { $name }?
desk-withdraw-what = It disappears from the region's board, directory and open data. It cannot be published again.

## The listings' forms

desk-label-title = Title
desk-label-kind = Kind
desk-label-sector = Sector
desk-sector-ordinary = An ordinary job or course
desk-sector-mental-health = In mental health
desk-label-description = Description
desk-label-area = Area
desk-hint-area-opportunity = A town or postcode district, e.g. Leeds LS6: with a district, people nearby find it first
desk-label-remote = Can be done from home
desk-label-hours = Hours a week
desk-hint-hours = Leave empty if it varies
desk-label-pay = Pay, in pounds
desk-hint-pay = e.g. 12.21; leave empty if unpaid
desk-label-pay-per = Paid per
desk-paid-per-hour = hour
desk-paid-per-session = session
desk-paid-per-day = day
desk-label-expenses-paid = Expenses paid
desk-label-skills = Skills
desk-hint-commas = Separated by commas
desk-label-how-to-apply = How to apply
desk-label-closes-on = Closes on
desk-hint-closes-on = YYYY-MM-DD; leave empty if it does not close
desk-error-hours-not-number = Hours a week: not a number: { $typed }
desk-error-pay-not-pounds = Pay: not an amount in pounds: { $typed }
desk-error-status-withdrawn = Status: withdraw it from the list instead
desk-error-not-whole-number = { $label }: not a whole number: { $typed }
desk-hint-area-safehouse = A town or postcode district, never the address: the region shows the district's centre
desk-label-for = Who it is for
desk-hint-for = Leave all unticked if it is for anyone.
desk-label-beds-total = Beds in total
desk-label-wheelchair = Wheelchair accessible
desk-label-self-referral = People can refer themselves
desk-label-longest-stay = Longest stay
desk-label-longest-stay-nights = Longest stay, in nights
desk-hint-longest-stay = Leave empty if there is none
desk-label-phone = Phone
desk-hint-phone-safehouse = The number people ring to ask for a bed
desk-label-what-it-is = What it is
desk-label-categories = Categories
desk-hint-categories = Separated by commas, from: { $categories }
desk-label-street = Street
desk-hint-street = Where people come: the street and number. Leave the address empty for a service by phone or online.
desk-label-town = Town
desk-label-postcode = Postcode
desk-hint-postcode = A full postcode, for example LS1 6DT
desk-label-email = Email
desk-label-website = Website
desk-label-free = Free of charge
desk-hint-offer-name = The business, as people know it, e.g. Green Hands Garden Co-op
desk-label-what-it-does = What it does
desk-hint-offer-skills = What it does in the words people search, separated by commas: gardening, hedge cutting
desk-label-areas = Where it works
desk-hint-offer-areas = Towns or postcode districts, separated by commas, e.g. Leeds LS6, Bradford
desk-label-rate = Rate an hour
desk-label-rate-pounds = Rate an hour, in pounds
desk-hint-rate = e.g. 15.50: at least the region's fair rate
desk-label-rate-note = About the rate
desk-hint-rate-note = e.g. materials extra; two hours at least
desk-label-how-to-book = How to book
desk-hint-how-to-book = e.g. Ring or text 07700 900123, weekdays 9 to 5

## Importing services

desk-import-services = Import services
desk-import-checked = Checked: would create { $created }, update { $updated }, leave { $unchanged } as they are; { $refused } refused
desk-import-done = Imported: created { $created }, updated { $updated }, left { $unchanged } as they are; { $refused } refused
desk-import-nothing-written = Nothing was written. Choose the file again and import it.
desk-import-wrong = What is wrong in the file
desk-import-where = Where
desk-import-field = Field
desk-import-problem = Problem
desk-import-intro = From an HSDS 3 or Open Referral UK JSON file: a service, a list of them, or a page of the API. A service imported again from the same directory updates the one imported before.
desk-import-file = The file
desk-import-check = Check it (writes nothing)
desk-import = Import
desk-import-not-text = The file could not be read as text
desk-import-upload-failed = The upload failed: { $why }
desk-import-choose-file = Choose a file to import

## Workers (coordinators only)

desk-users-password-of = The password of { $name } is
desk-users-password-give = Give it to them in person. It is not shown again.
desk-users-caption = The desk's accounts
desk-users-last-signed-in = Last signed in
desk-users-change = Change
desk-users-new-password = New password
desk-users-remove = Remove
desk-users-add = Add a worker
desk-users-name-hint = Lowercase letters, digits, '.', '-' or '_', e.g. sam.k
desk-users-role-worker = Worker: listings, beds and referrals
desk-users-role-coordinator = Coordinator: also workers' accounts and the audit log
desk-users-role-member = Member of the pool: their own offers of work and earnings only
desk-account-error-name-empty = Name: must not be empty
desk-account-error-name-long = Name: at most { $n } characters
desk-account-error-name-letter = Name: { $letter } is not allowed: use lowercase letters, digits, '.', '-' or '_'
desk-account-error-name-own = You cannot remove your own account
desk-account-error-role = Role: unknown value { $role }; expected one of: coordinator, worker, member
desk-account-error-exists = There is already a desk user called { $name }
desk-account-error-unknown = There is no desk user called { $name }
desk-account-error-last-coordinator = { $name } is the last coordinator: make another coordinator first, or the desk's accounts cannot be managed

## The audit log (coordinators only)

desk-audit-intro = Every change made through the desk or with the kith command on this hub: who, when, what. It stays on this hub.
desk-audit-caption = Changes, newest first
desk-audit-when = When
desk-audit-who = Who
desk-audit-what = What
desk-audit-about = About

## Leaving the region (coordinators only)

desk-leave-left = This hub has left the region: its listings are withdrawn everywhere.
desk-leave-what = Every listing of this hub is withdrawn from the region's board, directory and open data, and other groups can no longer refer people to it. It cannot be undone: to come back, the region's coordinator adds the group again.
desk-leave-referrals = Referrals already made go on: you can still answer and close them.
desk-leave-confirm = To confirm, type this hub's id
desk-leave-confirm-hint = It is { $hub }
desk-leave-type = Type { $hub } to confirm

## The pool

desk-pool-cannot-show = The pool cannot be shown
desk-pool-book-job = Book a job
desk-pool-add-member = Add a member
desk-pool-figures-link = The group's figures: hours, pay, jobs turned down
desk-pool-businesses-link = The businesses, as the region sees them
desk-pool-waiting = Waiting for someone
desk-pool-week-from = The week from { $date }
desk-pool-week-before = Week before
desk-pool-week-after = Week after
desk-pool-no-jobs-week = No jobs booked this week.
desk-pool-jobs-caption = Jobs this week, by day
desk-pool-day = Day
desk-pool-job = Job
desk-pool-hours = Hours
desk-pool-who = Who
desk-pool-members = Members
desk-pool-no-members = No members yet.
desk-pool-members-caption = Members, with their earnings this week
desk-pool-member = Member
desk-pool-can-do = Can do
desk-pool-this-week = This week
desk-pool-status-open = open
desk-pool-status-offered = offered
desk-pool-status-accepted = accepted
desk-pool-status-done = done
desk-pool-status-turned-down = turned down
desk-pool-status-cancelled = cancelled
desk-pool-status-booked = booked
desk-pool-status-declined = declined
desk-pool-status-worked = worked
desk-pool-reason-skills-missing = no member has said they can do it
desk-pool-reason-no-one-free = no one is free then
desk-pool-reason-pay-too-low = the pay is below what members work for
desk-pool-reason-over-limits = it would take everyone over their own limit
desk-pool-reason-members-declined = the members asked said no
desk-pool-why-skills-missing = { $name } has not said they can do what it needs
desk-pool-why-not-free = { $name } is not free then
desk-pool-why-busy = { $name } has another job then
desk-pool-why-declined = { $name } said no to this job
desk-pool-why-rate-too-low = { $name } works for more an hour than it pays
desk-pool-why-over-limit = It would take { $name } over their own limit this week
desk-pool-back = Back to the pool
desk-pool-save = Save
desk-pool-hint-contact = Kept on this hub only, shown after a button press.
desk-pool-label-skills = What they can do
desk-pool-hint-skills = One a line, or separated by commas: gardening, hedge cutting.
desk-pool-label-availability = When they can work
desk-pool-hint-availability = One a line, a day and times: tue 09:00-17:00.
desk-pool-label-away = Days they cannot work
desk-pool-hint-away = One a line: 2026-12-24..2027-01-02, or one day.
desk-pool-label-min-rate = The least they work for an hour, in pounds
desk-pool-hint-fair-rate = At least the region's fair rate.
desk-pool-label-weekly-limit = Their own weekly earnings limit, in pounds
desk-pool-hint-weekly-limit = Only if they keep one, for example a Permitted Work limit. Leave it empty if not.
desk-pool-label-desk-user = Their desk account, if they have one
desk-pool-hint-desk-user = An account with the member role: they answer offers themselves.
desk-pool-error-min-rate = Give the least they work for an hour
desk-pool-error-too-much = { $label }: too much
desk-pool-change-member = Change a member
desk-pool-member-erased = This member's details were erased.
desk-pool-no-such-member = No such member
desk-pool-erased-member = Erased member
desk-pool-erased-member-detail = Their details were erased. The hours and pay of the jobs they worked stay in the group's figures, without their name.
desk-pool-earnings = Earnings
desk-pool-this-week-from = This week (from { $date })
desk-pool-this-month = This month
desk-pool-tax-year-from = This tax year (from { $date })
desk-pool-their-limit = Their weekly limit
desk-pool-no-limit = None kept here
desk-pool-statement = Pay statement
desk-pool-from = From
desk-pool-to = To
desk-pool-show-statement = Show the statement
desk-pool-details = Details
desk-pool-away = Away
desk-pool-from-to = { $from } to { $to }
desk-pool-least-rate = The least they work for
desk-pool-desk-account = Desk account
desk-pool-show-contact = Show how to reach them
desk-pool-change-details = Change their details
desk-pool-erase-hint = Their name, how to reach them, skills and limit are destroyed for good. The hours and pay of jobs they worked stay, without their name.
desk-pool-erase-label = Erase this member's details, for good
desk-pool-erase-tick = Tick the box to erase their details: it cannot be undone
desk-pool-not-erased = Not erased
desk-pool-no-statement = No statement
desk-pool-statement-from = From { $group }
desk-pool-no-work = No work was recorded in this period.
desk-pool-work-caption = Work done, day by day
desk-pool-work = Work
desk-pool-rate = Rate
desk-pool-pay = Pay
desk-pool-total = Total
desk-pool-earnings-limit = Earnings and their limit
desk-pool-that-month = That month
desk-pool-tax-year-from-plain = The tax year from { $date }
desk-pool-print = Print this page, or make a PDF with this command:
desk-pool-back-member = Back to the member
desk-pool-business-none = None: booked with the pool itself
desk-pool-from-ask = Booked from an ask: what the person wrote stays with the ask. Copy here only what the job needs.
desk-pool-label-what = What is to be done
desk-pool-hint-date = As YYYY-MM-DD, for example 2026-12-08.
desk-pool-label-start = Starts at
desk-pool-hint-start = As HH:MM, for example 09:30.
desk-pool-label-hours = How long, in hours
desk-pool-hint-hours = For example 3, 2.5 or 2:30.
desk-pool-label-rate = Pay an hour to the worker, in pounds
desk-pool-label-job-skills = Skills it needs
desk-pool-hint-job-skills = One a line, or separated by commas.
desk-pool-where = Where
desk-pool-booked-by = Booked by
desk-pool-label-business = Booked with
desk-pool-no-such-job = No such job
desk-pool-pay-for-job = { $rate }: { $pay }
desk-pool-taken-by = Taken by
desk-pool-worked = Worked
desk-pool-worked-paid = { $hours }, paid { $pay }
desk-pool-offered-to = Offered to
desk-pool-offered-hint = Record their answer here for members without a desk account of their own.
desk-pool-they-take-it = They take it
desk-pool-they-say-no = They say no
desk-pool-who-could = Who could take it
desk-pool-no-one = No one can take this job
desk-pool-earned-this-week = { $pay } this week
desk-pool-room-after = { $pay } left under their limit after this job
desk-pool-offer-to = Offer it to { $name }
desk-pool-not-proposed = Not proposed
desk-pool-over-limit-chooses = { $name } knows this takes them over their limit, and chooses to
desk-pool-offer-anyway = Offer it anyway
desk-pool-hours-worked = Hours worked
desk-pool-hint-hours-worked = For example 3, 2.5 or 2:30. The pay follows from the rate.
desk-pool-record-hours = Record the hours
desk-pool-end-it = End it
desk-pool-why-optional = Why (optional)
desk-pool-hint-why = If the pool cannot take it and you leave this empty, the reason is worked out from who could not.
desk-pool-cannot-take = The pool cannot take it
desk-pool-called-off = Whoever booked it called it off
desk-pool-history-step-member = { $status } ({ $member }) by { $by }, { $when }
desk-pool-no-step = There is no such step.
desk-pool-no-figures = No figures
desk-pool-figures = The group's figures
desk-pool-show = Show
desk-pool-jobs-booked = Jobs booked
desk-pool-jobs-done = Jobs done
desk-pool-paid-to-members = Paid to members
desk-pool-members-paid = Members paid
desk-pool-cancelled = Cancelled by whoever booked
desk-pool-turned-down = Jobs the pool could not take
desk-pool-skills-needed = Skills they needed:

## A member's own page

desk-me-not-linked = Your account is not linked to a member of the pool yet: ask your coordinator.
desk-me-not-member = This page is for members of the pool, with their own account.
desk-me-offered = Offered to you
desk-me-nothing-waiting = Nothing is waiting for your answer.
desk-me-pays = Pays { $pay } ({ $rate })
desk-me-take = I'll take it
desk-me-not-this = Not this one
desk-me-your-jobs = Your jobs
desk-me-none-booked = None booked.
desk-me-earnings = Your earnings
desk-me-tax-year = This tax year
