-- wrk script for benches/mock.sh: POST create-or-update with a customer named by externalId.
-- Each request names one of 100,000 customers: bench-N, N = OFFSET + k * THREADS + tid
-- (mod 100,000) for the k-th request of thread tid, so threads never collide and a run longer
-- than 100,000 requests turns creates into updates of the same records.
-- PREFIX (default "bench") starts each externalId: another prefix names other customers.
--   wrk ... -s benches/mock-upsert.lua URL/customers -- OFFSET THREADS AUTH_HEADER [PREFIX]

local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  offset = tonumber(args[1] or "0")
  nthreads = tonumber(args[2] or "1")
  -- wrk calls request() once per thread before the run and does not send that request: start
  -- one step back, so that the first request sent names OFFSET + tid.
  counter = -1
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = args[3]
  prefix = args[4] or "bench"
end

function request()
  local n = (offset + counter * nthreads + tid) % 100000
  counter = counter + 1
  local body = string.format(
    '{"name":"Bench User %d","address":{"country":"US","address1":"2000 Broadway St",' ..
    '"city":"Redwood City","state":"CA","zip":"94063"},"phone":"+16505551212",' ..
    '"email":"bench%d@example.com","externalId":"%s-%d"}', n, n, prefix, n)
  return wrk.format(nil, nil, nil, body)
end
