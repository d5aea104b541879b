-- ProsodyStack's storage step, before Prosody starts, on Prosody 0.12 and 13:
--   prosodyctl mod_stack_storage ensure
-- The data folder holds a note of where this server's data lives (MARKER: the
-- storage, without its password, and the Prosody version that last used it).
-- When the configuration names another place (storage "sqlite" ↔ "postgresql",
-- or another database), the data moves there first: every key-value store the
-- old place holds through Prosody's own prosody-migrator (by way of a staging
-- folder), every archive row copied as it is (see migrate); then each store's
-- rows are counted on both sides. Only then does the note change, so a move
-- that fails leaves the old data as it was and the note pointing at it: the
-- next start tries again: key-value writes replace, and the archive copy
-- starts over. A place that already holds data of its own is never merged into.
-- Exit status 0: Prosody may start; 1: it must not (the reason is on stderr).
local function need(name)
	local ok, library = pcall(require, "prosody." .. name); -- Prosody 13
	if ok then return library; end
	return require(name); -- Prosody 0.12
end
local configmanager = need "core.configmanager";
local json = need "util.json";
local paths = need "util.paths";
local DBI = require "DBI";

local MARKER = "prosody-stack-storage.json";
--- where a move stages the data between two SQL places (see migrate)
local STAGING = ".prosody-stack-move";
local TABLES = { keyval = "prosody", archive = "prosodyarchive" };

local function say(text, ...)
	io.stderr:write("prosody-entrypoint: ", text:format(...), "\n");
end

local function major(version)
	return tostring(version or ""):match("^0%.%d+") or tostring(version or ""):match("^%d+") or "";
end

local function data_file(name)
	return paths.join(prosody.paths.data, name);
end

local function exists(path)
	local file = io.open(path, "rb");
	if file then file:close(); return true; end
	return false;
end

--- A place data can live: the `sql` option's connection, with SQLite's file made absolute.
local function place_of(sql)
	if sql.driver == "SQLite3" then
		return { driver = "SQLite3", database = paths.resolve_relative_path(prosody.paths.data, sql.database or "prosody.sqlite") };
	end
	return {
		driver = sql.driver, database = sql.database, host = sql.host,
		port = tonumber(sql.port), username = sql.username, password = sql.password,
	};
end

local function describe(place)
	if place.driver == "SQLite3" then return ("the SQLite file %s"):format(place.database); end
	return ("the %s database %s on %s:%s (role %s)"):format(place.driver, tostring(place.database),
		tostring(place.host or "localhost"), tostring(place.port or "default port"), tostring(place.username));
end

local function same_place(a, b)
	if a.driver ~= b.driver or a.database ~= b.database then return false; end
	return a.driver == "SQLite3" or (a.host == b.host and a.port == b.port);
end

--- What the note keeps of a place: never its password.
local function noted(place)
	return { driver = place.driver, database = place.database, host = place.host, port = place.port, username = place.username };
end

local function read_marker()
	local file = io.open(data_file(MARKER), "rb");
	if not file then return nil; end
	local text = file:read("*a");
	file:close();
	local marker = json.decode(text);
	if type(marker) ~= "table" or type(marker.place) ~= "table" then
		return nil, ("%s is not a note this step wrote"):format(data_file(MARKER));
	end
	return marker;
end

local function write_marker(marker)
	local path = data_file(MARKER);
	local file = assert(io.open(path .. ".new", "wb"));
	assert(file:write(json.encode(marker), "\n"));
	assert(file:close());
	assert(os.rename(path .. ".new", path));
end

--- A connection to a place; a SQLite file that does not exist is made only when `create` says so.
local function connect(place, create)
	if place.driver == "SQLite3" and not create and not exists(place.database) then return nil, "no such file"; end
	local ok, connection, err = pcall(DBI.Connect, place.driver, place.database, place.username, place.password,
		place.host, place.port);
	if not ok then return nil, tostring(connection); end
	if not connection then return nil, tostring(err); end
	return connection;
end

local function rows(connection, sql)
	local statement = assert(connection:prepare(sql));
	assert(statement:execute());
	local result = {};
	for row in statement:rows() do result[#result + 1] = row; end
	statement:close();
	return result;
end

local function existing_tables(connection, place)
	local query = place.driver == "SQLite3" and "SELECT name FROM sqlite_master WHERE type = 'table'"
		or "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()";
	local found = {};
	for _, row in ipairs(rows(connection, query)) do found[row[1]] = true; end
	return found;
end

--- Rows per kind, host and store, and the total: what a move must carry and what it must find after.
local function inventory(connection, place)
	if place.driver == "SQLite3" then rows(connection, "PRAGMA busy_timeout = 30000"); end
	local found = existing_tables(connection, place);
	local counts, total = { keyval = {}, archive = {} }, 0;
	for kind, table_name in pairs(TABLES) do
		if found[table_name] then
			local query = ('SELECT "host", "store", count(*) FROM "%s" GROUP BY "host", "store"'):format(table_name);
			for _, row in ipairs(rows(connection, query)) do
				local host, store, count = row[1], row[2], tonumber(row[3]);
				counts[kind][host] = counts[kind][host] or {};
				counts[kind][host][store] = count;
				total = total + count;
			end
		end
	end
	return { counts = counts, total = total };
end

--- prosody-migrator's store list per host: archives as "<store>-archive", a key-value store whose own
--- name ends in "-<word>" as "<store>-keyval" (the migrator reads that suffix as the store's type).
local function migrator_hosts(counts)
	local hosts = {};
	for kind, by_host in pairs(counts) do
		for host, stores in pairs(by_host) do
			hosts[host] = hosts[host] or {};
			for store in pairs(stores) do
				local listed = store;
				if kind == "archive" then listed = store .. "-archive";
				elseif store:match("%-%w+$") then listed = store .. "-keyval"; end
				table.insert(hosts[host], listed);
			end
			table.sort(hosts[host]);
		end
	end
	return hosts;
end

--- A migrator store definition: an SQL place, or the staging folder (Prosody's internal file storage).
local function lua_store(name, place, hosts)
	local q = function (value) return ("%q"):format(tostring(value)); end
	local lines = { name .. " {" };
	if place.driver then
		table.insert(lines, '\ttype = "sql";');
		for _, field in ipairs({ "driver", "database", "host", "username", "password" }) do
			if place[field] then table.insert(lines, ("\t%s = %s;"):format(field, q(place[field]))); end
		end
		if place.port then table.insert(lines, ("\tport = %d;"):format(place.port)); end
	else
		table.insert(lines, '\ttype = "internal";');
		table.insert(lines, "\tpath = " .. q(place.folder) .. ";");
	end
	table.insert(lines, "\thosts = {");
	for host, stores in pairs(hosts) do
		local listed = {};
		for _, store in ipairs(stores) do table.insert(listed, q(store)); end
		table.insert(lines, ("\t\t[%s] = { %s };"):format(q(host), table.concat(listed, ", ")));
	end
	table.insert(lines, "\t};");
	table.insert(lines, "}");
	return table.concat(lines, "\n");
end

local function shell_quote(text)
	return "'" .. text:gsub("'", "'\\''") .. "'";
end

local function tail(path, count)
	local all = {};
	local file = io.open(path, "rb");
	if not file then return ""; end
	for line in file:lines() do all[#all + 1] = line; end
	file:close();
	return table.concat(all, "\n", math.max(1, #all - count + 1));
end

--- One prosody-migrator run from `source` to `target`; true or nil, why.
local function migrator_run(source, target, hosts)
	-- mkstemp: files of our own, mode 0600, outside the data folder; the config holds passwords until removed.
	local config_path, log_path = os.tmpname(), os.tmpname();
	local file = assert(io.open(config_path, "wb"));
	assert(file:write(lua_store("input", source, hosts), "\n", lua_store("output", target, hosts), "\n"));
	assert(file:close());
	local ok, how, code = os.execute(("prosody-migrator --config %s input output > %s 2>&1"):format(
		shell_quote(config_path), shell_quote(log_path)));
	os.remove(config_path);
	local log = tail(log_path, 20);
	os.remove(log_path);
	if ok and log:match("Done!") then return true; end
	return nil, ("prosody-migrator stopped (%s %s):\n%s"):format(tostring(how), tostring(code), log);
end

--- Archive rows are copied as they are (every driver's table has the same columns), oldest first so that
--- the target's sort ids keep their order, in batches within one transaction of the target. Not through
--- prosody-migrator: Prosody's internal archive store, the staging format, reads and rewrites a user's whole
--- list for each item appended with its id, so staging took time growing with the square of an archive
--- (10,000 messages of one user: more than 15 minutes; bench/data-moves).
--- rows per INSERT: LuaDBI's PostgreSQL driver numbers at most 999 placeholders ($1 to $999) in a statement
local COPY_BATCH = 120;
local ARCHIVE_COLUMNS = '"host", "user", "store", "key", "when", "with", "type", "value"';

local function copy_archives(source, target)
	local from = assert(connect(source));
	local to = assert(connect(target, true));
	if source.driver == "SQLite3" then rows(from, "PRAGMA busy_timeout = 30000"); end
	if not existing_tables(from, source)[TABLES.archive] then
		from:close(); to:close();
		return true;
	end
	if not existing_tables(to, target)[TABLES.archive] then
		from:close(); to:close();
		return nil, ("%s has no %s table after prosody-migrator's run"):format(describe(target), TABLES.archive);
	end
	local read = assert(from:prepare(('SELECT "sort_id", %s FROM "%s" WHERE "sort_id" > ? ORDER BY "sort_id" LIMIT %d')
		:format(ARCHIVE_COLUMNS, TABLES.archive, COPY_BATCH)));
	local inserts = {};
	local function insert_of(count)
		if not inserts[count] then
			local row = "(?, ?, ?, ?, ?, ?, ?, ?)";
			inserts[count] = assert(to:prepare(('INSERT INTO "%s" (%s) VALUES %s'):format(TABLES.archive, ARCHIVE_COLUMNS,
				string.rep(row, count, ", "))));
		end
		return inserts[count];
	end
	-- Rows an earlier attempt of this same move left (the target held none of its own: see move).
	local clear = assert(to:prepare(('DELETE FROM "%s"'):format(TABLES.archive)));
	assert(clear:execute());
	clear:close();
	local last, batch = -1, nil;
	repeat
		assert(read:execute(last));
		batch = {};
		for row in read:rows() do batch[#batch + 1] = row; end
		if #batch > 0 then
			local values = {};
			for _, row in ipairs(batch) do
				for column = 2, 9 do values[#values + 1] = row[column]; end
				-- SQLite keeps the fraction of a second; other drivers' column is an integer (as mod_storage_sql writes it).
				if target.driver ~= "SQLite3" then values[#values - 3] = math.floor(tonumber(row[6])); end
			end
			assert(insert_of(#batch):execute(table.unpack(values)));
			last = batch[#batch][1];
		end
	until #batch < COPY_BATCH
	read:close();
	for _, statement in pairs(inserts) do statement:close(); end
	assert(to:commit());
	from:close();
	to:close();
	return true;
end

--- Moves every store `counts` names from `source` to `target`: the key-value stores with prosody-migrator,
--- which also makes the target's tables, then the archives (copy_archives). The migrator keeps one driver
--- per host and storage type, so two SQL places cannot be its input and output at once: the key-value data
--- goes through Prosody's internal file storage in a staging folder of the data volume, removed afterwards.
local function migrate(source, target, counts)
	local hosts = migrator_hosts({ keyval = counts.keyval });
	local staging = { folder = data_file(STAGING) };
	os.execute("rm -rf " .. shell_quote(staging.folder));
	local ok, err = migrator_run(source, staging, hosts);
	if ok then ok, err = migrator_run(staging, target, hosts); end
	os.execute("rm -rf " .. shell_quote(staging.folder));
	if not ok then return ok, err; end
	local ran, copied, copy_error = pcall(copy_archives, source, target);
	if not ran then return nil, ("copying the archives failed: %s"):format(tostring(copied)); end
	return copied, copy_error;
end

--- The stores whose row counts differ between the two sides, as text; empty when all match.
local function differences(expected, found)
	local problems = {};
	for kind, by_host in pairs(expected.counts) do
		for host, stores in pairs(by_host) do
			for store, count in pairs(stores) do
				local there = (found.counts[kind][host] or {})[store] or 0;
				if there ~= count then
					table.insert(problems, ("%s store %s of %s: %d rows, %d moved"):format(kind, store, host, count, there));
				end
			end
		end
	end
	table.sort(problems);
	return table.concat(problems, "; ");
end

--- A SQLite file the data left: renamed with its journal files, so it is kept but never read as live data.
local function retire_sqlite(place, target)
	local connection = assert(connect(place));
	-- LuaDBI opens a transaction for every statement unless told otherwise; a checkpoint needs none open.
	connection:autocommit(true);
	rows(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
	connection:close();
	local suffix = (".moved-to-%s-%s"):format(target.driver:lower(), os.date("!%Y%m%dT%H%M%SZ"));
	for _, extension in ipairs({ "", "-wal", "-shm" }) do
		if exists(place.database .. extension) then
			assert(os.rename(place.database .. extension, place.database .. suffix .. extension));
		end
	end
	return place.database .. suffix;
end

local function move(source, target, marker)
	local from, from_error = connect(source);
	local to, to_error = connect(target, true);
	if not from and not to then
		say("this server's data is in %s, and the configuration stores in %s; neither can be reached (%s; %s). " ..
			"Nothing was changed. Fix: bring the database back, or set storage and database to where the data is",
			describe(source), describe(target), from_error, to_error);
		return 1;
	elseif not from then
		say("this server's data is in %s, which cannot be reached (%s); it must move to %s first. Nothing was changed. " ..
			"Fix: make it reachable for this start (with its password in PROSODY_DB_PASSWORD), or set storage back to it",
			describe(source), from_error, describe(target));
		return 1;
	elseif not to then
		say("cannot reach %s (%s) to move this server's data into it from %s. Nothing was changed. " ..
			"Fix: check the database's host, port and password, or set storage back",
			describe(target), to_error, describe(source));
		return 1;
	end
	local have, there = inventory(from, source), inventory(to, target);
	local resuming = marker and type(marker.moving_to) == "table" and same_place(marker.moving_to, target);
	if there.total > 0 and not resuming then
		say("%s already holds %d rows of other data, and this server's data is in %s: refusing to merge them. " ..
			"Nothing was changed. Fix: empty that database (for PostgreSQL: DROP OWNED BY %s), or set storage back",
			describe(target), there.total, describe(source), tostring(target.username or "its role"));
		return 1;
	end
	from:close();
	to:close();
	local note = marker or { place = noted(source), prosody = prosody.version };
	if have.total == 0 then
		say("%s holds no data; this server now stores in %s", describe(source), describe(target));
	else
		note.moving_to = noted(target);
		write_marker(note);
		say("moving %d rows from %s to %s", have.total, describe(source), describe(target));
		local started = os.time();
		local ok, err = migrate(source, target, have.counts);
		if not ok then
			say("the move failed; %s is unchanged and Prosody does not start. %s", describe(source), err);
			return 1;
		end
		local check = assert(connect(target, true));
		local missing = differences(have, inventory(check, target));
		check:close();
		if missing ~= "" then
			say("the move is incomplete (%s); %s is unchanged and Prosody does not start", missing, describe(source));
			return 1;
		end
		if source.driver == "SQLite3" then say("kept the old SQLite file as %s", retire_sqlite(source, target)); end
		say("moved %d rows in %d s; this server now stores in %s", have.total, os.difftime(os.time(), started), describe(target));
	end
	local history = type(note.history) == "table" and note.history or {};
	table.insert(history, ("%s: moved from %s to %s"):format(os.date("!%Y-%m-%dT%H:%M:%SZ"), describe(source), describe(target)));
	write_marker({ place = noted(target), prosody = prosody.version, history = history });
	return 0;
end

local function ensure()
	if configmanager.get("*", "storage") ~= "sql" then
		say("storage is not sql: no storage step");
		return 0;
	end
	local target = place_of(configmanager.get("*", "sql") or {});
	local marker, marker_error = read_marker();
	if marker_error then
		say("%s; Prosody does not start. Fix: remove the file if you know where this server's data is", marker_error);
		return 1;
	end
	if marker and major(marker.prosody) ~= "0.12" and major(prosody.version) == "0.12" then
		say("this server's data was last used by Prosody %s, which Prosody %s may not read. " ..
			'Fix: set prosodyVersion "13"', tostring(marker.prosody), prosody.version);
		return 1;
	end
	local source;
	if marker then
		if same_place(marker.place, target) then
			if major(marker.prosody) ~= major(prosody.version) then
				say("this server's data was last used by Prosody %s; Prosody %s takes it over", tostring(marker.prosody), prosody.version);
			end
			marker.prosody = prosody.version;
			marker.moving_to = nil;
			write_marker(marker);
			return 0;
		end
		source = marker.place;
		if source.driver ~= "SQLite3" then source.password = os.getenv("PROSODY_DB_PASSWORD"); end
	else
		-- No note yet (a new server, or one from before this step): a SQLite file Prosody kept in the data
		-- folder is the data when the configuration now names another place.
		local legacy = place_of({ driver = "SQLite3" });
		if same_place(legacy, target) or not exists(legacy.database) then
			write_marker({ place = noted(target), prosody = prosody.version });
			return 0;
		end
		source = legacy;
	end
	return move(source, target, marker);
end

function module.command(arg)
	if arg[1] ~= "ensure" then
		print("usage: prosodyctl mod_stack_storage ensure");
		return 2;
	end
	local ok, status = pcall(ensure);
	if not ok then
		say("the storage step failed: %s; Prosody does not start", tostring(status));
		return 1;
	end
	return status;
end
