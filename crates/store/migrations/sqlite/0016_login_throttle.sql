-- Login throttling per address and per (user name, address), and the global failure rate
-- (issue 20: five failures from anywhere no longer lock an account for everyone).
create index login_attempt_ip_at_idx on login_attempt(ip, at);
create index login_attempt_at_idx on login_attempt(at);
