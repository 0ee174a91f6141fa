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
use kith_proto::v1::{self, hub_admin_server::HubAdmin};

use crate::publisher::PublisherState;
use crate::store::{Listing, Record, Store, StoreError};

/// The admin service of one hub.
pub struct AdminService {
    pub store: Store,
    pub publisher: Arc<PublisherState>,
    pub name: String,
    pub nats_url: String,
}

/// Builds the interceptor that refuses any call without `authorization: Bearer <token>`.
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

fn to_status(e: StoreError) -> Status {
    match e {
        StoreError::NotFound { .. } => Status::not_found(e.to_string()),
        StoreError::Withdrawn { .. } => Status::failed_precondition(e.to_string()),
        StoreError::Invalid(v) => Status::invalid_argument(v.to_string()),
        StoreError::Closed => Status::unavailable(e.to_string()),
        other => {
            tracing::error!(error = %other, "admin write failed");
            Status::internal(other.to_string())
        }
    }
}

fn id_arg(id: &str) -> Result<Ulid, Status> {
    parse_id("id", id).map_err(|e| Status::invalid_argument(e.to_string()))
}

fn reply(id: Ulid, seq: u64) -> Response<v1::WriteReply> {
    Response::new(v1::WriteReply { id: id.to_string(), seq })
}

impl AdminService {
    fn hub(&self) -> &str {
        self.store.identity().hub.as_str()
    }

    fn opportunity(&self, r: &Record<Opportunity>) -> v1::Opportunity {
        convert::opportunity_to_v1(&r.item, self.hub(), r.seq, r.updated_at_ms)
    }

    fn safehouse(&self, r: &Record<SafeHouse>) -> v1::SafeHouse {
        convert::safehouse_to_v1(&r.item, self.hub(), r.seq, r.updated_at_ms, r.withdrawn, kith_proto::time::now_ms())
    }

    fn get<T: Listing>(&self, id: &str) -> Result<Record<T>, Status> {
        let id = id_arg(id)?;
        self.store
            .get::<T>(id)
            .map_err(to_status)?
            .ok_or_else(|| Status::not_found(format!("{} {id} not found", T::FAMILY)))
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

    async fn send_referral(&self, _req: Request<v1::SendReferralRequest>) -> Result<Response<v1::WriteReply>, Status> {
        Err(Status::unimplemented("referrals are being built"))
    }

    async fn list_referrals(
        &self,
        _req: Request<v1::ListReferralsRequest>,
    ) -> Result<Response<v1::ReferralList>, Status> {
        Err(Status::unimplemented("referrals are being built"))
    }

    async fn get_referral(&self, _req: Request<v1::IdRequest>) -> Result<Response<v1::Referral>, Status> {
        Err(Status::unimplemented("referrals are being built"))
    }

    async fn accept_referral(
        &self,
        _req: Request<v1::ReferralStepRequest>,
    ) -> Result<Response<v1::WriteReply>, Status> {
        Err(Status::unimplemented("referrals are being built"))
    }

    async fn decline_referral(
        &self,
        _req: Request<v1::ReferralStepRequest>,
    ) -> Result<Response<v1::WriteReply>, Status> {
        Err(Status::unimplemented("referrals are being built"))
    }

    async fn complete_referral(
        &self,
        _req: Request<v1::ReferralStepRequest>,
    ) -> Result<Response<v1::WriteReply>, Status> {
        Err(Status::unimplemented("referrals are being built"))
    }

    async fn withdraw_referral(
        &self,
        _req: Request<v1::ReferralStepRequest>,
    ) -> Result<Response<v1::WriteReply>, Status> {
        Err(Status::unimplemented("referrals are being built"))
    }

    async fn erase_referral(&self, _req: Request<v1::IdRequest>) -> Result<Response<v1::WriteReply>, Status> {
        Err(Status::unimplemented("referrals are being built"))
    }
}
