-- a flow started from the dashboard sends the browser back to this dashboard path (/app/...) after the callback
ALTER TABLE oauth_states ADD COLUMN return_to TEXT;
