//! The in-process event broker behind subscriptions: services publish what happened, each
//! subscription receives what was published after it began. Events are not persisted; a
//! subscriber that falls too far behind skips the events it missed.

use tokio::sync::broadcast;

use entity::{activity, proposal};

/// How many events a slow subscriber may fall behind before it skips some.
const CAPACITY: usize = 256;

/// Something that happened, for live dashboards.
#[derive(Clone, Debug)]
pub enum Event {
    /// An activity was recorded (with its participants).
    ActivityRecorded(activity::Model),
    /// A proposal was submitted or moved through its lifecycle.
    ProposalChanged(proposal::Model),
    /// An assessment run was computed, adjusted, confirmed or published.
    AssessmentRunChanged(entity::assessment_run::Model),
    /// Members were invited to an activity (应出席): one event for all of them, the members
    /// sorted, so a plenary's thousands of invitations cost one message.
    Invited {
        /// The activity.
        activity: activity::Model,
        /// The members invited, in ascending order.
        members: std::sync::Arc<[i64]>,
    },
    /// A request for leave was approved or refused.
    LeaveDecided(entity::leave_request::Model),
}

/// Publishes events to every current subscriber. Cheap to clone; clones share the channel.
#[derive(Clone, Debug)]
pub struct Broker {
    sender: broadcast::Sender<Event>,
}

impl Default for Broker {
    fn default() -> Self {
        Self::new()
    }
}

impl Broker {
    /// A broker with no subscribers.
    pub fn new() -> Self {
        Self { sender: broadcast::channel(CAPACITY).0 }
    }

    /// Sends `event` to the current subscribers; nobody listening is fine.
    pub fn publish(&self, event: Event) {
        let _ = self.sender.send(event);
    }

    /// How many subscribers are listening now.
    pub fn subscribers(&self) -> usize {
        self.sender.receiver_count()
    }

    /// A receiver of the events published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }
}
