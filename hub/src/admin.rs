//! The admin gRPC API (`kith.v1.HubAdmin`): what the `kith` CLI calls.
//!
//! Handlers stay thin: check the token (in the interceptor), validate through
//! `kith_proto::convert`, hand the write to the store, answer with the id and the
//! hub sequence number once the write is on disk.

use std::sync::Arc;
use subtle::ConstantTimeEq;
use tonic::{Request, Response, Status};
use ulid::Ulid;

use kith_proto::convert::{self, parse_id};
use kith_proto::domain::{Opportunity, SafeHouse};
use kith_proto::keys::hex;
use kith_proto::offer::{self, Offer};
use kith_proto::service::Service;
use kith_proto::v1::{self, hub_admin_server::HubAdmin};

use kith_proto::Slug;
use kith_proto::referral::{self, Consent, Contact, Person, ReferralStatus, Role, Target};

use crate::desk::accounts;
use crate::link::Link;
use crate::peers::{self, PeerError};
use crate::referral::ReferralRecord;
use crate::store::{ImportOutcome, Listing, PeerKeys, Record, ReferralChange, Store, StoreError};

/// The size of the chunks a backup is sent in, well below gRPC's 4 MB default.
const BACKUP_CHUNK: usize = 512 * 1024;

/// The admin API's service with every request made as [`Actor::Cli`], so that what
/// an operator changes with `kith` is audited as such ([`crate::store::acting`]).
#[derive(Clone)]
pub struct AsCli<S>(pub S);

impl<S: tonic::server::NamedService> tonic::server::NamedService for AsCli<S> {
    const NAME: &'static str = S::NAME;
}

impl<S, B> tower::Service<axum::http::Request<B>> for AsCli<S>
where
    S: tower::Service<axum::http::Request<B>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: axum::http::Request<B>) -> Self::Future {
        Box::pin(crate::store::acting(crate::store::Actor::Cli, self.0.call(request)))
    }
}

/// The admin service of one hub.
#[derive(Clone)]
pub struct AdminService {
    pub store: Store,
    pub publisher: Arc<Link>,
    pub name: String,
    pub nats_url: String,
    /// How long a receiving hub has to answer this hub's referrals.
    pub referral_expiry_ms: i64,
    /// What the inbox refused, per sender.
    pub refusals: Arc<crate::limits::Refusals>,
    /// The profile the hub publishes (published again when its ask policy changes).
    pub profile: kith_proto::domain::HubProfile,
    /// `hub.toml`'s `ask_relays`.
    pub ask_relays: Vec<String>,
    /// Asks refused as forged or unreadable since the hub started.
    pub forged_asks: Arc<std::sync::atomic::AtomicU64>,
    /// The region's fair rate in pence an hour (`hub.toml`'s `fair_rate`): the
    /// pool's businesses, members and jobs are refused below it.
    pub fair_rate_pence: Option<u32>,
}

/// Builds the interceptor that refuses any call without `authorization: Bearer <token>`.
/// Referrals listed when a request does not say how many, and the most it may ask:
/// a hub flooded with referrals still answers `kith referral list` in pages.
const DEFAULT_PAGE: usize = 100;
const MAX_PAGE: usize = 1000;

pub fn require_token(token: String) -> impl Fn(Request<()>) -> Result<Request<()>, Status> + Clone {
    move |req: Request<()>| {
        let given = req
            .metadata()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        // Constant time, so the token cannot be guessed byte by byte from timings.
        if bool::from(given.as_bytes().ct_eq(token.as_bytes())) {
            Ok(req)
        } else {
            Err(Status::unauthenticated(
                "missing or wrong admin token: send `authorization: Bearer <token>` with the token in the hub's admin.token",
            ))
        }
    }
}

pub(crate) fn to_status(e: StoreError) -> Status {
    if let Some(io) = e.io_error() {
        // The store stops writing after a failed write (sled): say what to do.
        tracing::error!(error = %io, "the store cannot write");
        let full = |e: &std::io::Error| e.kind() == std::io::ErrorKind::StorageFull || e.raw_os_error() == Some(28);
        let inner = io.get_ref().and_then(|e| e.downcast_ref::<std::io::Error>());
        let why = if full(io) || inner.is_some_and(full) || format!("{io:?}").contains("StorageFull") {
            "the hub's disk is full".to_owned()
        } else {
            format!("the hub's store cannot write ({io})")
        };
        return Status::resource_exhausted(format!(
            "{why}: nothing was written. Free some space, then restart the hub (what it acknowledged before is kept)"
        ));
    }
    match e {
        StoreError::NotFound { .. } => Status::not_found(e.to_string()),
        StoreError::Withdrawn { .. } => Status::failed_precondition(e.to_string()),
        StoreError::Invalid(v) => Status::invalid_argument(v.to_string()),
        StoreError::Closed => Status::unavailable(e.to_string()),
        StoreError::Transition(_) | StoreError::Refused(_) | StoreError::Seal(_) | StoreError::Left => {
            Status::failed_precondition(e.to_string())
        }
        other => {
            tracing::error!(error = %other, "admin write failed");
            Status::internal(other.to_string())
        }
    }
}

/// Refuses an offer below the region's fair rate, or any offer while the hub sets
/// none: a pool's businesses pay at least what the region agreed is fair. Checked
/// before anything is written, by the admin API and the desk alike.
pub fn fair_rate(offer: &Offer, fair_rate_pence: Option<u32>) -> Result<(), Status> {
    let Some(fair) = fair_rate_pence else {
        return Err(Status::failed_precondition(
            "set fair_rate in hub.toml (the region's fair rate, in pounds an hour) before running a pool's businesses",
        ));
    };
    if offer.rate_pence < fair {
        return Err(Status::invalid_argument(format!(
            "rate: {} an hour is below the region's fair rate of {} an hour",
            kith_words::pounds(u64::from(offer.rate_pence)),
            kith_words::pounds(u64::from(fair)),
        )));
    }
    Ok(())
}

pub(crate) fn id_arg(id: &str) -> Result<Ulid, Status> {
    parse_id("id", id).map_err(|e| Status::invalid_argument(e.to_string()))
}

fn reply(id: Ulid, seq: u64) -> Response<v1::WriteReply> {
    Response::new(v1::WriteReply { id: id.to_string(), seq })
}

fn invalid(e: kith_proto::ValidationError) -> Status {
    Status::invalid_argument(e.to_string())
}

/// The person as given to `SendReferral`, checked; consent is recorded now.
fn person_from_v1(p: v1::Person, now: i64) -> Result<Person, Status> {
    if p.consent.trim().is_empty() {
        return Err(Status::invalid_argument(
            "consent: a referral is not sent without recorded consent: say how, when, by whom and to what",
        ));
    }
    let contact = match (p.no_contact, p.contact.trim().is_empty()) {
        (true, true) => Contact::DoNotContact,
        (false, false) => Contact::Given(p.contact),
        (true, false) => return Err(Status::invalid_argument("contact: give a contact or no_contact, not both")),
        (false, true) => {
            return Err(Status::invalid_argument(
                "contact: give how to contact the person, or no_contact if they do not want to be contacted",
            ));
        }
    };
    Person {
        name: p.name,
        contact,
        needs: p.needs,
        notes: p.notes,
        consent: Consent { statement: p.consent, recorded_at_ms: now },
    }
    .validate()
    .map_err(invalid)
}

impl AdminService {
    fn me(&self) -> &Slug {
        &self.store.identity().hub
    }

    /// Another hub's pinned keys, learnt from the stream if need be.
    async fn peer(&self, hub: &Slug) -> Result<PeerKeys, Status> {
        let js = self.publisher.client().map(async_nats::jetstream::new);
        peers::current(&self.store, js.as_ref(), hub).await.map_err(|e| match e {
            PeerError::Unreachable { .. } => Status::unavailable(e.to_string()),
            PeerError::Store(e) => to_status(e),
            other => Status::failed_precondition(other.to_string()),
        })
    }

    /// Refuses to show or change referrals while a restored store has not caught up
    /// with the region's stream, which may record erasures the backup does not have.
    fn referrals_ready(&self) -> Result<(), Status> {
        if self.store.restored_pending().map_err(to_status)? {
            return Err(Status::unavailable(
                "this hub was restored from a backup and has not yet read the region's stream, which may record                  erasures made since the backup: referrals are shown again once it has (kith status shows when it                  is connected)",
            ));
        }
        Ok(())
    }

    fn referral(&self, id: &str) -> Result<ReferralRecord, Status> {
        self.referrals_ready()?;
        let id = id_arg(id)?;
        self.store.referral(id).map_err(to_status)?.ok_or_else(|| Status::not_found(format!("referral {id} not found")))
    }

    async fn referral_step(
        &self,
        req: v1::ReferralStepRequest,
        status: ReferralStatus,
    ) -> Result<Response<v1::WriteReply>, Status> {
        let record = self.referral(&req.id)?;
        let id = record.id;
        let reason = referral::reason(status, &req.reason).map_err(invalid)?;
        let keys = self.peer(&record.other).await?;
        let seq = self
            .store
            .change_referral(id, |current, seq, now| {
                let mut record = current.ok_or(StoreError::NotFound { family: "referral", id })?;
                record.step(status, reason.clone(), now)?;
                let event = record.publish(seq, &keys.boxing)?;
                Ok(Some(ReferralChange { record, event: Some(event) }))
            })
            .await
            .map_err(to_status)?;
        Ok(reply(id, seq.unwrap_or(0)))
    }

    fn referral_v1(&self, r: &ReferralRecord) -> v1::Referral {
        let me = self.me();
        let (from, to) = match r.role {
            Role::Sender => (me, &r.other),
            Role::Receiver => (&r.other, me),
        };
        let kind = r.target_kind.as_str();
        let target_id = match r.target {
            Some(Target::SafeHouse(id) | Target::Opportunity(id)) => id.to_string(),
            Some(Target::Hub) | None => String::new(),
        };
        let (history, status) = r.history();
        v1::Referral {
            id: r.id.to_string(),
            from_hub: from.to_string(),
            to_hub: to.to_string(),
            r#box: if r.role == Role::Sender { "outbox" } else { "inbox" }.to_owned(),
            target_kind: kind.to_owned(),
            target_id,
            created_at_ms: r.created_at_ms,
            status: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            history: history
                .iter()
                .map(|e| v1::ReferralStep {
                    status: e.step.status.as_str().to_owned(),
                    at_ms: e.step.at_ms,
                    hub: r.hub_of(e, me).to_string(),
                    reason: r.reason(e).to_owned(),
                })
                .collect(),
            person: r.person.as_ref().map(|p| v1::Person {
                name: p.name.clone(),
                contact: match &p.contact {
                    Contact::Given(c) => c.clone(),
                    Contact::DoNotContact => String::new(),
                },
                no_contact: p.contact == Contact::DoNotContact,
                needs: p.needs.clone(),
                notes: p.notes.clone(),
                consent: p.consent.statement.clone(),
                consent_recorded_at_ms: p.consent.recorded_at_ms,
            }),
            erased: r.erased,
            answer_by_ms: r.answer_by_ms,
        }
    }

    fn hub(&self) -> &str {
        self.store.identity().hub.as_str()
    }

    fn opportunity(&self, r: &Record<Opportunity>) -> v1::Opportunity {
        convert::opportunity_to_v1(&r.item, self.hub(), r.seq, r.updated_at_ms)
    }

    fn safehouse(&self, r: &Record<SafeHouse>) -> v1::SafeHouse {
        convert::safehouse_to_v1(&r.item, self.hub(), r.seq, r.updated_at_ms, r.withdrawn, kith_proto::time::now_ms())
    }

    fn service(&self, r: &Record<Service>) -> v1::Service {
        v1::Service { withdrawn: r.withdrawn, ..convert::service_to_v1(&r.item, self.hub(), r.seq, r.updated_at_ms) }
    }

    fn offer(&self, r: &Record<Offer>) -> v1::Offer {
        v1::Offer { withdrawn: r.withdrawn, ..offer::offer_to_v1(&r.item, self.hub(), r.seq, r.updated_at_ms) }
    }

    /// An offer from what an operator gave, checked, and held to the fair rate.
    pub fn offer_from_fields(&self, id: Ulid, fields: &v1::OfferFields) -> Result<Offer, Status> {
        let o = offer::offer_from_fields(id, fields).map_err(invalid)?;
        fair_rate(&o, self.fair_rate_pence)?;
        Ok(o)
    }

    fn get<T: Listing>(&self, id: &str) -> Result<Record<T>, Status> {
        let id = id_arg(id)?;
        self.store
            .get::<T>(id)
            .map_err(to_status)?
            .ok_or_else(|| Status::not_found(format!("{} {id} not found", T::TOKEN)))
    }

    fn list<T: Listing>(&self, include_withdrawn: bool) -> Result<Vec<Record<T>>, Status> {
        let mut all = self.store.list::<T>().map_err(to_status)?;
        all.retain(|r| include_withdrawn || !r.withdrawn);
        Ok(all)
    }

    async fn withdraw<T: Listing>(&self, id: &str) -> Result<Response<v1::WriteReply>, Status> {
        let id = id_arg(id)?;
        let seq = self.store.withdraw::<T>(id).await.map_err(to_status)?;
        Ok(reply(id, seq))
    }
}

#[tonic::async_trait]
impl HubAdmin for AdminService {
    type BackupStream = tokio_stream::Iter<std::vec::IntoIter<Result<v1::BackupChunk, Status>>>;

    async fn status(&self, _: Request<v1::StatusRequest>) -> Result<Response<v1::StatusReply>, Status> {
        let s = self.store.outbox_status().map_err(to_status)?;
        let id = self.store.identity();
        Ok(Response::new(v1::StatusReply {
            hub: id.hub.to_string(),
            region: id.region.to_string(),
            name: self.name.clone(),
            nats_url: self.nats_url.clone(),
            nats_connected: self.publisher.connected(),
            outbox_pending: s.pending,
            last_published_seq: s.last_published_seq,
            last_written_seq: s.last_written_seq,
            last_error: self.publisher.last_error().unwrap_or_default(),
            signing_key: hex(id.signing.verifying_key().as_bytes()),
            referrals_refused: self.refusals.totals().into_iter().collect(),
        }))
    }

    async fn add_opportunity(&self, req: Request<v1::OpportunityFields>) -> Result<Response<v1::WriteReply>, Status> {
        let id = Ulid::new();
        let o =
            convert::opportunity_from_fields(id, req.get_ref()).map_err(|e| Status::invalid_argument(e.to_string()))?;
        let seq = self.store.create(o).await.map_err(to_status)?;
        Ok(reply(id, seq))
    }

    async fn update_opportunity(
        &self,
        req: Request<v1::UpdateOpportunityRequest>,
    ) -> Result<Response<v1::WriteReply>, Status> {
        let req = req.into_inner();
        let id = id_arg(&req.id)?;
        let patch = req.patch.unwrap_or_default();
        let seq =
            self.store.update::<Opportunity>(id, |o| convert::patch_opportunity(o, &patch)).await.map_err(to_status)?;
        Ok(reply(id, seq))
    }

    async fn withdraw_opportunity(&self, req: Request<v1::IdRequest>) -> Result<Response<v1::WriteReply>, Status> {
        self.withdraw::<Opportunity>(&req.get_ref().id).await
    }

    async fn get_opportunity(&self, req: Request<v1::IdRequest>) -> Result<Response<v1::Opportunity>, Status> {
        let r = self.get::<Opportunity>(&req.get_ref().id)?;
        Ok(Response::new(self.opportunity(&r)))
    }

    async fn list_opportunities(&self, req: Request<v1::ListRequest>) -> Result<Response<v1::OpportunityList>, Status> {
        let items =
            self.list::<Opportunity>(req.get_ref().include_withdrawn)?.iter().map(|r| self.opportunity(r)).collect();
        Ok(Response::new(v1::OpportunityList { items }))
    }

    async fn add_service(&self, req: Request<v1::ServiceFields>) -> Result<Response<v1::WriteReply>, Status> {
        let id = Ulid::new();
        let s = convert::service_from_fields(id, req.get_ref()).map_err(invalid)?;
        let seq = self.store.create(s).await.map_err(to_status)?;
        Ok(reply(id, seq))
    }

    async fn update_service(&self, req: Request<v1::UpdateServiceRequest>) -> Result<Response<v1::WriteReply>, Status> {
        let req = req.into_inner();
        let id = id_arg(&req.id)?;
        let fields = req.fields.ok_or_else(|| Status::invalid_argument("fields: give the service's fields"))?;
        let if_seq = (req.if_seq != 0).then_some(req.if_seq);
        let seq = self
            .store
            .update_if::<Service>(id, if_seq, |_| convert::service_from_fields(id, &fields))
            .await
            .map_err(to_status)?;
        Ok(reply(id, seq))
    }

    async fn import_service(
        &self,
        req: Request<v1::ImportServiceRequest>,
    ) -> Result<Response<v1::ImportReply>, Status> {
        let req = req.into_inner();
        let source = req.source_id.trim();
        if source.is_empty() || source.len() > 200 {
            return Err(Status::invalid_argument(
                "source_id: give the service's id in its directory (1 to 200 characters)",
            ));
        }
        let fields = req.fields.ok_or_else(|| Status::invalid_argument("fields: give the service's fields"))?;
        let imported = self
            .store
            .import::<Service>(source, |id| convert::service_from_fields(id, &fields), req.dry_run)
            .await
            .map_err(to_status)?;
        let outcome = match imported.outcome {
            ImportOutcome::Created => "created",
            ImportOutcome::Updated => "updated",
            ImportOutcome::Unchanged => "unchanged",
        };
        Ok(Response::new(v1::ImportReply { id: imported.id.to_string(), seq: imported.seq, outcome: outcome.into() }))
    }

    async fn withdraw_service(&self, req: Request<v1::IdRequest>) -> Result<Response<v1::WriteReply>, Status> {
        self.withdraw::<Service>(&req.get_ref().id).await
    }

    async fn get_service(&self, req: Request<v1::IdRequest>) -> Result<Response<v1::Service>, Status> {
        let r = self.get::<Service>(&req.get_ref().id)?;
        Ok(Response::new(self.service(&r)))
    }

    async fn list_services(&self, req: Request<v1::ListRequest>) -> Result<Response<v1::ServiceList>, Status> {
        let items = self.list::<Service>(req.get_ref().include_withdrawn)?.iter().map(|r| self.service(r)).collect();
        Ok(Response::new(v1::ServiceList { items }))
    }

    async fn add_safe_house(&self, req: Request<v1::SafeHouseFields>) -> Result<Response<v1::WriteReply>, Status> {
        let id = Ulid::new();
        let s =
            convert::safehouse_from_fields(id, req.get_ref()).map_err(|e| Status::invalid_argument(e.to_string()))?;
        let seq = self.store.create(s).await.map_err(to_status)?;
        Ok(reply(id, seq))
    }

    async fn update_safe_house(
        &self,
        req: Request<v1::UpdateSafeHouseRequest>,
    ) -> Result<Response<v1::WriteReply>, Status> {
        let req = req.into_inner();
        let id = id_arg(&req.id)?;
        let patch = req.patch.unwrap_or_default();
        let now = kith_proto::time::now_ms();
        let seq = self
            .store
            .update::<SafeHouse>(id, |s| convert::patch_safehouse(s, &patch, now))
            .await
            .map_err(to_status)?;
        Ok(reply(id, seq))
    }

    async fn withdraw_safe_house(&self, req: Request<v1::IdRequest>) -> Result<Response<v1::WriteReply>, Status> {
        self.withdraw::<SafeHouse>(&req.get_ref().id).await
    }

    async fn set_availability(
        &self,
        req: Request<v1::SetAvailabilityRequest>,
    ) -> Result<Response<v1::WriteReply>, Status> {
        let req = req.into_inner();
        let id = id_arg(&req.id)?;
        let now = kith_proto::time::now_ms();
        let seq = self
            .store
            .update::<SafeHouse>(id, |s| convert::set_availability(s, req.beds_free, req.valid_for_secs, now))
            .await
            .map_err(to_status)?;
        Ok(reply(id, seq))
    }

    async fn get_safe_house(&self, req: Request<v1::IdRequest>) -> Result<Response<v1::SafeHouse>, Status> {
        let r = self.get::<SafeHouse>(&req.get_ref().id)?;
        Ok(Response::new(self.safehouse(&r)))
    }

    async fn list_safe_houses(&self, req: Request<v1::ListRequest>) -> Result<Response<v1::SafeHouseList>, Status> {
        let items =
            self.list::<SafeHouse>(req.get_ref().include_withdrawn)?.iter().map(|r| self.safehouse(r)).collect();
        Ok(Response::new(v1::SafeHouseList { items }))
    }

    async fn send_referral(&self, req: Request<v1::SendReferralRequest>) -> Result<Response<v1::WriteReply>, Status> {
        self.referrals_ready()?;
        let req = req.into_inner();
        let to = Slug::parse("to_hub", req.to_hub.trim()).map_err(invalid)?;
        if &to == self.me() {
            return Err(Status::invalid_argument("to_hub: a hub cannot refer to itself"));
        }
        let target = match (req.safe_house_id.trim(), req.opportunity_id.trim()) {
            ("", "") => Target::Hub,
            (house, "") => Target::SafeHouse(parse_id("safe_house_id", house).map_err(invalid)?),
            ("", opportunity) => Target::Opportunity(parse_id("opportunity_id", opportunity).map_err(invalid)?),
            _ => return Err(Status::invalid_argument("give at most one of safe_house_id and opportunity_id")),
        };
        let now = kith_proto::time::now_ms();
        let person = person_from_v1(req.person.unwrap_or_default(), now)?;
        let keys = self.peer(&to).await?;
        let id = Ulid::new();
        let seq = self
            .store
            .change_referral(id, |current, seq, now| {
                if current.is_some() {
                    return Err(StoreError::Refused(format!("referral {id} exists already")));
                }
                let mut record =
                    ReferralRecord::sent(id, to.clone(), target, person.clone(), now, self.referral_expiry_ms);
                let event = record.publish(seq, &keys.boxing)?;
                Ok(Some(ReferralChange { record, event: Some(event) }))
            })
            .await
            .map_err(to_status)?;
        Ok(reply(id, seq.unwrap_or(0)))
    }

    async fn list_referrals(
        &self,
        req: Request<v1::ListReferralsRequest>,
    ) -> Result<Response<v1::ReferralList>, Status> {
        self.referrals_ready()?;
        let req = req.into_inner();
        let role = match req.r#box.trim() {
            "" => None,
            "inbox" => Some(Role::Receiver),
            "outbox" => Some(Role::Sender),
            other => {
                return Err(Status::invalid_argument(format!(
                    "box: unknown value {other:?}; expected one of: inbox, outbox"
                )));
            }
        };
        let status = match req.status.trim() {
            "" => None,
            s => Some(ReferralStatus::parse("status", s).map_err(invalid)?),
        };
        let limit = match req.limit {
            0 => DEFAULT_PAGE,
            n if n as usize > MAX_PAGE => {
                return Err(Status::invalid_argument(format!("limit: at most {MAX_PAGE} (got {n})")));
            }
            n => n as usize,
        };
        let after = match req.after.trim() {
            "" => None,
            id => Some(id_arg(id).map_err(|_| Status::invalid_argument(format!("after: not a referral id: {id:?}")))?),
        };
        let items = self
            .store
            .referrals_newest_first(after, limit, |r| {
                role.is_none_or(|role| r.role == role) && status.is_none_or(|s| r.status() == Some(s))
            })
            .map_err(to_status)?
            .iter()
            .map(|r| self.referral_v1(r))
            .collect();
        Ok(Response::new(v1::ReferralList { items }))
    }

    async fn get_referral(&self, req: Request<v1::IdRequest>) -> Result<Response<v1::Referral>, Status> {
        let record = self.referral(&req.get_ref().id)?;
        Ok(Response::new(self.referral_v1(&record)))
    }

    async fn accept_referral(&self, req: Request<v1::ReferralStepRequest>) -> Result<Response<v1::WriteReply>, Status> {
        self.referral_step(req.into_inner(), ReferralStatus::Accepted).await
    }

    async fn decline_referral(
        &self,
        req: Request<v1::ReferralStepRequest>,
    ) -> Result<Response<v1::WriteReply>, Status> {
        self.referral_step(req.into_inner(), ReferralStatus::Declined).await
    }

    async fn complete_referral(
        &self,
        req: Request<v1::ReferralStepRequest>,
    ) -> Result<Response<v1::WriteReply>, Status> {
        self.referral_step(req.into_inner(), ReferralStatus::Completed).await
    }

    async fn withdraw_referral(
        &self,
        req: Request<v1::ReferralStepRequest>,
    ) -> Result<Response<v1::WriteReply>, Status> {
        self.referral_step(req.into_inner(), ReferralStatus::Withdrawn).await
    }

    async fn erase_referral(&self, req: Request<v1::IdRequest>) -> Result<Response<v1::WriteReply>, Status> {
        let record = self.referral(&req.get_ref().id)?;
        let id = record.id;
        let keys = self.peer(&record.other).await?;
        let seq = self
            .store
            .change_referral(id, |current, seq, now| {
                let Some(mut record) = current.filter(|r| !r.erased) else { return Ok(None) };
                record.erase(now);
                let event = record.publish(seq, &keys.boxing)?;
                Ok(Some(ReferralChange { record, event: Some(event) }))
            })
            .await
            .map_err(to_status)?;
        tracing::info!(referral = %id, "personal details erased");
        Ok(reply(id, seq.unwrap_or(record.seq)))
    }

    async fn list_asks(&self, req: Request<v1::ListAsksRequest>) -> Result<Response<v1::AskList>, Status> {
        let req = req.into_inner();
        let status = match req.status.as_str() {
            "" => None,
            s => Some(kith_proto::ask::AskStatus::parse("status", s).map_err(invalid)?),
        };
        let after = match req.after.as_str() {
            "" => None,
            a => Some(parse_id("after", a).map_err(invalid)?),
        };
        let limit = match req.limit as usize {
            0 => DEFAULT_PAGE,
            n => n.min(MAX_PAGE),
        };
        let records =
            self.store.asks_newest_first(after, limit, |r| status.is_none_or(|s| r.status == s)).map_err(to_status)?;
        let items = records.iter().map(|r| crate::asks::to_v1(&self.store, r)).collect();
        Ok(Response::new(v1::AskList { items }))
    }

    async fn get_ask(&self, req: Request<v1::IdRequest>) -> Result<Response<v1::Ask>, Status> {
        let id = parse_id("id", &req.get_ref().id).map_err(invalid)?;
        let record =
            self.store.ask(id).map_err(to_status)?.ok_or_else(|| Status::not_found(format!("ask {id} not found")))?;
        Ok(Response::new(crate::asks::to_v1(&self.store, &record)))
    }

    async fn answer_ask(&self, req: Request<v1::AnswerAskRequest>) -> Result<Response<v1::WriteReply>, Status> {
        let req = req.into_inner();
        let id = parse_id("id", &req.id).map_err(invalid)?;
        let to = kith_proto::ask::AskStatus::parse("status", &req.status).map_err(invalid)?;
        let seq = self.store.answer_ask(id, to).await.map_err(to_status)?;
        Ok(reply(id, seq))
    }

    async fn erase_ask(&self, req: Request<v1::IdRequest>) -> Result<Response<v1::WriteReply>, Status> {
        let id = parse_id("id", &req.get_ref().id).map_err(invalid)?;
        // Audited as "ask erased", with the answer that says so.
        self.store.erase_ask(id).await.map_err(to_status)?;
        tracing::info!(ask = %id, "what the person wrote erased");
        Ok(reply(id, 0))
    }

    async fn set_ask_policy(&self, req: Request<v1::SetAskPolicyRequest>) -> Result<Response<v1::AskPolicy>, Status> {
        let req = req.into_inner();
        let mut settings = self.store.ask_settings().map_err(to_status)?;
        let changed =
            req.paused.is_some() || req.daily_cap.is_some() || !req.close.is_empty() || !req.reopen.is_empty();
        if req.paused == Some(false) && self.ask_relays.is_empty() {
            return Err(Status::failed_precondition(
                "this hub takes asks from no relay: add the region's relay keys to ask_relays in hub.toml and \
                 restart the hub",
            ));
        }
        if let Some(paused) = req.paused {
            settings.paused = paused;
        }
        if let Some(cap) = req.daily_cap {
            if cap > kith_proto::ask::AskPolicy::MAX_DAILY_CAP {
                return Err(Status::invalid_argument(format!(
                    "daily_cap: at most {} a day, not {cap}",
                    kith_proto::ask::AskPolicy::MAX_DAILY_CAP
                )));
            }
            settings.daily_cap = Some(cap);
        }
        for id in &req.close {
            let id = parse_id("close", id).map_err(invalid)?;
            if !settings.closed.contains(&id) {
                settings.closed.push(id);
            }
        }
        for id in &req.reopen {
            let id = parse_id("reopen", id).map_err(invalid)?;
            settings.closed.retain(|c| *c != id);
        }
        if settings.closed.len() > kith_proto::ask::AskPolicy::MAX_CLOSED {
            return Err(Status::invalid_argument(format!(
                "close: at most {} listings closed to asks one by one; pause asks instead",
                kith_proto::ask::AskPolicy::MAX_CLOSED
            )));
        }
        if changed {
            self.store.set_ask_settings(&settings).await.map_err(to_status)?;
            if !self.store.has_left().map_err(to_status)? {
                self.store.publish_profile(self.profile.clone()).await.map_err(to_status)?;
            }
        }
        let policy = self.store.ask_policy().map_err(to_status)?;
        let day = self.store.ask_day().map_err(to_status)?;
        Ok(Response::new(v1::AskPolicy {
            open: policy.open,
            paused: settings.paused,
            daily_cap: policy.daily_cap,
            closed: policy.closed.iter().map(Ulid::to_string).collect(),
            relays: self.ask_relays.clone(),
            taken_today: day.taken,
            refused_today: day.refused,
            forged: self.forged_asks.load(std::sync::atomic::Ordering::Relaxed),
        }))
    }

    async fn add_offer(&self, req: Request<v1::OfferFields>) -> Result<Response<v1::WriteReply>, Status> {
        let id = Ulid::new();
        let o = self.offer_from_fields(id, req.get_ref())?;
        let seq = self.store.create(o).await.map_err(to_status)?;
        Ok(reply(id, seq))
    }

    async fn update_offer(&self, req: Request<v1::UpdateOfferRequest>) -> Result<Response<v1::WriteReply>, Status> {
        let req = req.into_inner();
        let id = id_arg(&req.id)?;
        let fields = req.fields.ok_or_else(|| Status::invalid_argument("fields: give the offer's fields"))?;
        let o = self.offer_from_fields(id, &fields)?;
        let if_seq = (req.if_seq != 0).then_some(req.if_seq);
        let seq = self.store.update_if::<Offer>(id, if_seq, |_| Ok(o.clone())).await.map_err(to_status)?;
        Ok(reply(id, seq))
    }

    async fn withdraw_offer(&self, req: Request<v1::IdRequest>) -> Result<Response<v1::WriteReply>, Status> {
        self.withdraw::<Offer>(&req.get_ref().id).await
    }

    async fn get_offer(&self, req: Request<v1::IdRequest>) -> Result<Response<v1::Offer>, Status> {
        let r = self.get::<Offer>(&req.get_ref().id)?;
        Ok(Response::new(self.offer(&r)))
    }

    async fn list_offers(&self, req: Request<v1::ListRequest>) -> Result<Response<v1::OfferList>, Status> {
        let items = self.list::<Offer>(req.get_ref().include_withdrawn)?.iter().map(|r| self.offer(r)).collect();
        Ok(Response::new(v1::OfferList { items }))
    }

    async fn list_peers(&self, _: Request<v1::ListPeersRequest>) -> Result<Response<v1::PeerList>, Status> {
        let items = self
            .store
            .peers()
            .map_err(to_status)?
            .into_iter()
            .map(|(hub, keys)| v1::Peer {
                hub: hub.to_string(),
                signing_key: kith_proto::keys::hex(&keys.signing),
                box_key: kith_proto::keys::hex(&keys.boxing),
                profile_seq: keys.seq,
            })
            .collect();
        Ok(Response::new(v1::PeerList { items }))
    }

    async fn unpin_peer(&self, req: Request<v1::UnpinPeerRequest>) -> Result<Response<v1::UnpinPeerReply>, Status> {
        let hub =
            Slug::parse("hub", req.into_inner().hub.trim()).map_err(|e| Status::invalid_argument(e.to_string()))?;
        let unpinned = self.store.unpin_peer(&hub).await.map_err(to_status)?;
        if unpinned {
            tracing::warn!(%hub, "unpinned another hub's keys on request");
        }
        Ok(Response::new(v1::UnpinPeerReply { unpinned }))
    }

    async fn republish(&self, _: Request<v1::RepublishRequest>) -> Result<Response<v1::RepublishReply>, Status> {
        let events = self.store.republish().await.map_err(to_status)?;
        let last_seq = self.store.outbox_status().map_err(to_status)?.last_written_seq;
        tracing::info!(events, "republished everything on request");
        Ok(Response::new(v1::RepublishReply { events, last_seq }))
    }

    async fn backup(&self, _: Request<v1::BackupRequest>) -> Result<Response<Self::BackupStream>, Status> {
        // A copy of a store that may still hold an erased person would bring it back.
        self.referrals_ready()?;
        let store = self.store.clone();
        let (dump, last_seq) = tokio::task::spawn_blocking(move || store.dump())
            .await
            .map_err(|e| Status::internal(e.to_string()))?
            .map_err(to_status)?;
        tracing::info!(bytes = dump.len(), last_seq, "copied the store for a backup");
        let chunks: Vec<Result<v1::BackupChunk, Status>> =
            dump.chunks(BACKUP_CHUNK).map(|c| Ok(v1::BackupChunk { data: c.to_vec(), last_seq })).collect();
        Ok(Response::new(tokio_stream::iter(chunks)))
    }

    async fn withdraw_all(&self, _: Request<v1::WithdrawAllRequest>) -> Result<Response<v1::WithdrawAllReply>, Status> {
        let withdrawn = self.store.withdraw_all().await.map_err(to_status)?;
        let last_seq = self.store.outbox_status().map_err(to_status)?.last_written_seq;
        tracing::info!(withdrawn, "the hub left the region: every listing withdrawn");
        Ok(Response::new(v1::WithdrawAllReply { withdrawn, last_seq }))
    }

    async fn add_desk_user(&self, req: Request<v1::DeskUserRequest>) -> Result<Response<v1::DeskUserReply>, Status> {
        let req = req.into_inner();
        let role = if req.role.trim().is_empty() { "worker" } else { req.role.trim() };
        let (user, password) = accounts::add(&self.store, &req.name, role).await.map_err(account_status)?;
        Ok(Response::new(v1::DeskUserReply { name: user.name, role: user.role.as_str().to_owned(), password }))
    }

    async fn reset_desk_user(&self, req: Request<v1::DeskUserRequest>) -> Result<Response<v1::DeskUserReply>, Status> {
        let (user, password) = accounts::reset(&self.store, &req.get_ref().name).await.map_err(account_status)?;
        Ok(Response::new(v1::DeskUserReply { name: user.name, role: user.role.as_str().to_owned(), password }))
    }

    async fn remove_desk_user(&self, req: Request<v1::DeskUserRequest>) -> Result<Response<v1::DeskUserReply>, Status> {
        let name = req.get_ref().name.trim().to_owned();
        accounts::remove(&self.store, &name).await.map_err(account_status)?;
        Ok(Response::new(v1::DeskUserReply { name, ..Default::default() }))
    }

    async fn list_desk_users(
        &self,
        _: Request<v1::ListDeskUsersRequest>,
    ) -> Result<Response<v1::DeskUserList>, Status> {
        let now = kith_proto::time::now_ms();
        let users = self
            .store
            .desk_users()
            .map_err(to_status)?
            .into_iter()
            .map(|u| v1::DeskUser {
                name: u.name,
                role: u.role.as_str().to_owned(),
                created_at_ms: u.created_at_ms,
                signed_in_at_ms: u.signed_in_at_ms.unwrap_or(0),
                locked_until_ms: if u.locked_until_ms > now { u.locked_until_ms } else { 0 },
            })
            .collect();
        Ok(Response::new(v1::DeskUserList { users }))
    }

    async fn list_audit(&self, req: Request<v1::ListAuditRequest>) -> Result<Response<v1::AuditList>, Status> {
        let req = req.into_inner();
        let limit = match req.limit {
            0 => DEFAULT_PAGE,
            n if n as usize > MAX_PAGE => {
                return Err(Status::invalid_argument(format!("limit: at most {MAX_PAGE} (got {n})")));
            }
            n => n as usize,
        };
        let before = (req.before_ms > 0).then_some(req.before_ms);
        let entries = self
            .store
            .audit_log(limit, before)
            .map_err(to_status)?
            .into_iter()
            .map(|e| v1::AuditEntry { at_ms: e.at_ms, actor: e.actor, action: e.action, about: e.about })
            .collect();
        Ok(Response::new(v1::AuditList { entries }))
    }
}

/// The status of a refused account change.
fn account_status(e: accounts::AccountError) -> Status {
    use accounts::AccountError as E;
    match e {
        E::Name(_) | E::Role(_) => Status::invalid_argument(e.to_string()),
        E::Exists(_) => Status::already_exists(e.to_string()),
        E::Unknown(_) => Status::not_found(e.to_string()),
        E::LastCoordinator(_) => Status::failed_precondition(e.to_string()),
        E::Store(e) => to_status(e),
        E::Hash(_) => Status::internal(e.to_string()),
    }
}
