//! Judges on phones: join tokens and the sessions opened with them.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store, audit};
use crate::clock;

impl Store {
    /// Gives these judges a join token each (`make` makes a new random one): kept unless
    /// `revoke`; returns (judge, token). One transaction, audited (the tokens themselves are not
    /// written to the audit log).
    pub fn issue_tokens(
        &mut self,
        judges: &[String],
        revoke: bool,
        make: &mut dyn FnMut() -> std::result::Result<String, String>,
        actor: &str,
    ) -> Result<Vec<(String, String)>> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut out = Vec::new();
        for j in judges {
            let existing: Option<String> = tx
                .query_row(
                    "SELECT token FROM judge_token WHERE judge_id = ?1",
                    [j],
                    |r| r.get(0),
                )
                .optional()?;
            let token = match existing {
                Some(t) if !revoke => t,
                _ => {
                    let t = make().map_err(super::StoreError::Rule)?;
                    tx.execute(
                        "INSERT INTO judge_token (judge_id, token, created_at) VALUES (?1, ?2, ?3)
                         ON CONFLICT(judge_id) DO UPDATE SET token = excluded.token, created_at = excluded.created_at",
                        params![j, t, clock::now_rfc3339()],
                    )?;
                    if revoke {
                        tx.execute("DELETE FROM phone_session WHERE judge_id = ?1", [j])?;
                    }
                    t
                }
            };
            out.push((j.clone(), token));
        }
        audit::append(
            &tx,
            actor,
            "join-tokens",
            &format!(
                "{} judges{}",
                judges.len(),
                if revoke { ", revoked and replaced" } else { "" }
            ),
        )?;
        tx.commit()?;
        Ok(out)
    }

    /// The judge a join token belongs to.
    pub fn judge_of_token(&self, token: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT judge_id FROM judge_token WHERE token = ?1",
                [token],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Records a phone session for a judge (after the PIN was checked).
    pub fn open_phone_session(&mut self, id: &str, judge: &str) -> Result<()> {
        self.require_write()?;
        self.conn.execute(
            "INSERT INTO phone_session (id, judge_id, created_at) VALUES (?1, ?2, ?3)",
            params![id, judge, clock::now_rfc3339()],
        )?;
        Ok(())
    }

    /// The judge of a phone session (whose token is still valid).
    pub fn judge_of_session(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT s.judge_id FROM phone_session s JOIN judge_token t ON t.judge_id = s.judge_id
                 WHERE s.id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?)
    }
}
