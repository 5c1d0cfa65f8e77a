-- The Cloud API's app secret (issue 14): Meta signs every webhook delivery of an app with it
-- (`X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body>`), and the receiver
-- (`/api/webhooks/cloud-api/<channel id>`) checks that signature before anything is read.
--
-- What must stay true:
-- - Sealed with CHANNEL_SECRET_KEY by the application like the API key and the client token: written by
--   tenant admins, read by nobody signed in (the service path alone opens it to verify a delivery).
-- - Optional: a Cloud API channel without one refuses every delivery (409, saying so) and is still
--   monitored by its checks.
-- - It is never sent anywhere (it only verifies what arrives), so moving a channel to another URL or
--   number does not clear it, unlike the API key and the client token that are sent to the gateway.
alter table public.channel_secrets add column app_secret_ciphertext text;
grant insert (app_secret_ciphertext) on public.channel_secrets to authenticated;
grant update (app_secret_ciphertext) on public.channel_secrets to authenticated;
