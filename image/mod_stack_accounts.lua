-- ProsodyStack's first accounts, offline (before Prosody starts), on Prosody 0.12 and 13:
--   prosodyctl mod_stack_accounts ensure < lines
-- Each line of standard input is "jid password". An account that does not
-- exist is created with that password; one that exists is left as it is (its
-- password may have been changed since), and nothing is ever deleted. The
-- password is read from standard input only and never printed.
local function need(name)
	local ok, library = pcall(require, "prosody." .. name); -- Prosody 13
	if ok then return library; end
	return require(name); -- Prosody 0.12
end
local usermanager = need "core.usermanager";
local storagemanager = need "core.storagemanager";
local jid = need "util.jid";

local function say(text, ...)
	io.stderr:write("prosody-entrypoint: ", text:format(...), "\n");
end

local function ensure(address, password)
	local user, host = jid.prepped_split(address);
	local host_session = host and prosody.hosts[host];
	if not (user and host_session) then
		say("%s is not an account on a host of this configuration; skipped", address);
		return false;
	end
	storagemanager.initialize_host(host);
	if not host_session.users or host_session.users.name == "null" then
		usermanager.initialize_host(host);
	end
	if usermanager.user_exists(user, host) then
		say("the account %s exists; left unchanged", address);
		return true;
	end
	local ok, err = usermanager.create_user(user, password, host);
	if not ok then
		say("could not create the account %s (%s); the next start tries again", address, tostring(err));
		return false;
	end
	say("created the account %s (its initial password is the stack's adminPasswords output)", address);
	return true;
end

function module.command(arg)
	if arg[1] ~= "ensure" then
		print("usage: prosodyctl mod_stack_accounts ensure < \"jid password\" lines");
		return 2;
	end
	local all_ok = true;
	for line in io.lines() do
		local address, password = line:match("^%s*(%S+)%s+(%S+)%s*$");
		if address then
			all_ok = ensure(address, password) and all_ok;
		elseif line:match("%S") then
			say("a line of PROSODY_ADMIN_ACCOUNTS is not \"jid password\"; skipped");
			all_ok = false;
		end
	end
	return all_ok and 0 or 1;
end
