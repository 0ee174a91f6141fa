//! A browser's side of the desk, over plain HTTP: a cookie jar of one session
//! cookie, forms posted as a browser posts them (same-origin, with the page's token).

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::hub::Hub;

/// One answer of the desk.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The value of the first form token (`name="csrf"`) in the page.
    pub fn token(&self) -> String {
        let at = self.body.find("name=\"csrf\" value=\"").unwrap_or_else(|| panic!("no form token in {}", self.body));
        let rest = &self.body[at + "name=\"csrf\" value=\"".len()..];
        rest[..rest.find('"').expect("the token ends")].to_owned()
    }
}

/// A client of one hub's desk, signed in or not.
#[derive(Debug, Clone)]
pub struct Desk {
    pub addr: String,
    /// `name=value` of the session cookie, once signed in.
    pub cookie: Option<String>,
}

impl Desk {
    pub fn of(hub: &Hub) -> Desk {
        let url = hub.desk_url().expect("the hub serves a desk (HubOptions::desk)");
        Desk { addr: url.trim_start_matches("http://").to_owned(), cookie: None }
    }

    /// Signs in as `name`: the reply to the form (303 on success), the cookie kept.
    pub async fn sign_in(&mut self, name: &str, password: &str) -> Reply {
        self.post("/sign-in", &[("name", name), ("password", password)], &[]).await
    }

    /// Makes an account with `kith desk user add` at `hub` and signs in with it.
    pub async fn signed_in(hub: &Hub, name: &str, role: &str) -> Desk {
        let out = hub.kith(["desk", "user", "add", name, "--role", role]).await;
        assert!(out.success(), "{out:?}");
        let password = out.json["password"].as_str().expect("a password").to_owned();
        let mut desk = Desk::of(hub);
        let reply = desk.sign_in(name, &password).await;
        assert_eq!(reply.status, 303, "{reply:?}");
        desk
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.request("GET", path, "", &[]).await
    }

    /// A page as a browser asking for `accept_language` (`cy`, `ur-PK,ur;q=0.9`) gets it.
    pub async fn get_in(&self, path: &str, accept_language: &str) -> Reply {
        self.request("GET", path, "", &[("Accept-Language", accept_language)]).await
    }

    /// Posts a form from the desk's own pages (`Sec-Fetch-Site: same-origin`), or,
    /// given `extra` headers, with those instead.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)], extra: &[(&str, &str)]) -> Reply {
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let reply = self.request("POST", path, &body, extra).await;
        if let Some(set) = reply.header("set-cookie") {
            let pair = set.split(';').next().unwrap_or_default().trim().to_owned();
            self.cookie = (!pair.ends_with('=')).then_some(pair);
        }
        reply
    }

    /// Posts the form on `page` to `action` with the page's token and `fields`.
    pub async fn submit(&mut self, page: &str, action: &str, fields: &[(&str, &str)]) -> Reply {
        let token = self.get(page).await.token();
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post(action, &all, &[]).await
    }

    /// Posts the multipart form on `page` to `action`: its token, `fields`, and a file
    /// `file_name` holding `content` in the field `file`.
    pub async fn upload(
        &mut self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        content: &str,
    ) -> Reply {
        let token = self.get(page).await.token();
        let boundary = format!("kith-test-{}", rand::random::<u64>());
        let mut body = String::new();
        for (k, v) in std::iter::once(("csrf", token.as_str())).chain(fields.iter().copied()) {
            body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"));
        }
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/json\r\n\r\n{content}\r\n--{boundary}--\r\n"
        ));
        let content_type = format!("multipart/form-data; boundary={boundary}");
        self.raw("POST", action, &body, &[("Sec-Fetch-Site", "same-origin"), ("Content-Type", &content_type)]).await
    }

    async fn request(&self, method: &str, path: &str, body: &str, extra: &[(&str, &str)]) -> Reply {
        self.raw(method, path, body, extra).await
    }

    async fn raw(&self, method: &str, path: &str, body: &str, extra: &[(&str, &str)]) -> Reply {
        let mut stream = tokio::net::TcpStream::connect(&self.addr)
            .await
            .unwrap_or_else(|e| panic!("connect to the desk at {}: {e}", self.addr));
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", self.addr);
        // A browser's own form; a test that says otherwise gives its headers.
        if extra.is_empty() && method == "POST" {
            head.push_str("Sec-Fetch-Site: same-origin\r\n");
        }
        for (k, v) in extra {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if let Some(c) = &self.cookie {
            head.push_str(&format!("Cookie: {c}\r\n"));
        }
        if method == "POST" {
            if !extra.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
                head.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
            }
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(body.as_bytes()).await.unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.unwrap();
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let mut lines = head.lines();
        let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        Reply { status, headers, body: body.to_owned() }
    }
}
