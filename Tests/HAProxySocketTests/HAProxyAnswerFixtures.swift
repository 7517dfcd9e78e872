// HAProxy's answers to the runtime-API listings, for the reply parsers' offline tests
// (ReplyParserFixtureTests.swift). Each literal is the whole answer, byte for byte,
// through the empty line HAProxy ends it with.
//
// `HAProxy26`: captured from HAProxy 2.6.12 (Debian 12's 2.6.12-1+deb12u4, nbthread 2)
// over its admin socket with python3's socket module, one command per connection, from
// this configuration (servers on 127.0.0.1 and ::1 ports; python3 listeners on 28081
// (accepts, so s1's TCP check passes), 28095 (answers `HTTP/1.0 503 Busy, "really", try
// later`) and 28097 (keep-alive HTTP/1.1, `/slow` answers after 3 s); nothing listens on
// 28083, so s3 goes DOWN by its check, and ops/tracker with it):
//
//     global
//         stats socket /tmp/hafix/admin.sock level admin
//         stats socket ipv6@[::1]:28090 level admin
//         stats socket ipv4@127.0.0.1:28091 level admin
//
//     defaults
//         mode http
//         timeout connect 1s
//         timeout client 5s
//         timeout server 5s
//
//     frontend web
//         bind 127.0.0.1:28080
//         default_backend app
//
//     backend app
//         balance roundrobin
//         server s1 127.0.0.1:28081 weight 10 check inter 500ms
//         server s2 127.0.0.1:28082 weight 10 disabled
//         server s3 127.0.0.1:28083 weight 10 check inter 200ms fall 1 rise 1
//         server s4 ipv6@::1:28084 weight 10
//         server s5 [::1]:28085 weight 5
//         server s6 127.0.0.1:28086 weight 0
//
//     backend ops
//         server drained 127.0.0.1:28087 weight 10
//         server maint 127.0.0.1:28088 weight 10
//         server readied 127.0.0.1:28089 weight 10 disabled
//         server zero 127.0.0.1:28092 weight 10
//         server cfgdown 127.0.0.1:28093 weight 10 disabled check inter 200ms
//         server tracker 127.0.0.1:28094 weight 10 track app/s3
//
//     backend empty
//         balance roundrobin
//
//     backend checked
//         option httpchk GET /health
//         server busy 127.0.0.1:28095 weight 10 check inter 300ms fall 1 rise 1
//
//     frontend poolfe
//         bind 127.0.0.1:28096
//         default_backend pool
//
//     backend pool
//         http-reuse always
//         server p1 127.0.0.1:28097 weight 10 maxconn 2
//
// then `set server ops/drained state drain`, `set server ops/maint state maint`,
// `set server ops/readied state ready` and `set weight ops/zero 0`, and 4 concurrent
// `GET /slow` through poolfe (p1's maxconn 2: 2 served, 2 queued), during which `stat` and
// `serversConnBusy` were taken. The `…Inherited…` answers come from an earlier run of
// the same configuration without poolfe and pool.
//
// `HAProxy30` and `HAProxy33`: not captured (no newer HAProxy here) but assembled from the
// 2.6 answers with the columns the newer source prints, in its order:
// - `show stat`, 3.0 to 3.2: `srid,sess_other,h1sess,h2sess,h3sess,req_other,h1req,h2req,
//   h3req,proto` after `agg_check_status` and before the `-` that ends the static columns
//   (include/haproxy/stats-t.h `enum stat_idx_px` and src/stats-proxy.c at v3.0.0/v3.2.0);
//   the module columns after `-` are kept as this 2.6 build prints them.
// - `show servers conn`, 3.3 on: `served` after `purge_delay` and `idle_sess` after
//   `need_est` (src/proxy.c `cli_io_handler_servers_state` at v3.3.0).
// - `show servers state` prints the same 25 columns (SRV_STATE_FILE_FIELD_NAMES) from 2.6
//   through 3.5-dev, so its newer-version test uses a synthetic header instead.

enum HAProxy26 {
    /// `show servers state`: every backend. app/s2 and ops/readied are `disabled` in the configuration; ops/readied was then set ready.
    static let serversState = #"""
1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
3 app 1 s1 127.0.0.1 2 0 10 10 16 6 3 4 6 0 0 0 - 28081 - 0 0 - - 0
3 app 2 s2 127.0.0.1 0 5 10 10 16 1 0 0 8 0 0 0 - 28082 - 0 0 - - 0
3 app 3 s3 127.0.0.1 0 0 10 10 16 8 2 0 6 0 0 0 - 28083 - 0 0 - - 0
3 app 4 s4 ::1 2 0 10 10 16 1 0 2 0 0 0 0 - 28084 - 0 0 - - 0
3 app 5 s5 ::1 2 0 5 5 16 1 0 2 0 0 0 0 - 28085 - 0 0 - - 0
3 app 6 s6 127.0.0.1 2 0 0 0 16 1 0 2 0 0 0 0 - 28086 - 0 0 - - 0
4 ops 1 drained 127.0.0.1 2 8 10 10 14 1 0 2 0 0 0 0 - 28087 - 0 0 - - 0
4 ops 2 maint 127.0.0.1 0 1 10 10 14 1 0 0 0 0 0 0 - 28088 - 0 0 - - 0
4 ops 3 readied 127.0.0.1 2 4 10 10 14 1 0 0 8 0 0 0 - 28089 - 0 0 - - 0
4 ops 4 zero 127.0.0.1 2 0 0 10 16 1 0 2 0 0 0 0 - 28092 - 0 0 - - 0
4 ops 5 cfgdown 127.0.0.1 0 5 10 10 16 1 0 0 14 0 0 0 - 28093 - 0 0 - - 0
4 ops 6 tracker 127.0.0.1 0 0 10 10 16 1 0 2 0 0 0 0 - 28094 - 0 0 - - 0
6 checked 1 busy 127.0.0.1 0 0 10 10 16 17 2 0 6 0 0 0 - 28095 - 0 0 - - 0
8 pool 1 p1 127.0.0.1 2 0 10 10 16 1 0 2 0 0 0 0 - 28097 - 0 0 - - 0


"""#

    /// `show servers state empty`: a backend without servers.
    static let serversStateEmpty = #"""
1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port


"""#

    /// `show servers state ops` after `set server app/s3 state maint`: ops/tracker inherits maintenance (0x02).
    static let serversStateInheritedMaint = #"""
1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
4 ops 1 drained 127.0.0.1 2 8 10 10 1 1 0 2 0 0 0 0 - 28087 - 0 0 - - 0
4 ops 2 maint 127.0.0.1 0 1 10 10 1 1 0 0 0 0 0 0 - 28088 - 0 0 - - 0
4 ops 3 readied 127.0.0.1 2 4 10 10 1 1 0 0 8 0 0 0 - 28089 - 0 0 - - 0
4 ops 4 zero 127.0.0.1 2 0 0 10 3 1 0 2 0 0 0 0 - 28092 - 0 0 - - 0
4 ops 5 cfgdown 127.0.0.1 0 5 10 10 3 1 0 0 14 0 0 0 - 28093 - 0 0 - - 0
4 ops 6 tracker 127.0.0.1 0 2 10 10 3 1 0 2 0 0 0 0 - 28094 - 0 0 - - 0


"""#

    /// `show servers state ops` after `set server app/s3 state drain`: ops/tracker inherits the drain (0x10).
    static let serversStateInheritedDrain = #"""
1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
4 ops 1 drained 127.0.0.1 2 8 10 10 2 1 0 2 0 0 0 0 - 28087 - 0 0 - - 0
4 ops 2 maint 127.0.0.1 0 1 10 10 2 1 0 0 0 0 0 0 - 28088 - 0 0 - - 0
4 ops 3 readied 127.0.0.1 2 4 10 10 2 1 0 0 8 0 0 0 - 28089 - 0 0 - - 0
4 ops 4 zero 127.0.0.1 2 0 0 10 4 1 0 2 0 0 0 0 - 28092 - 0 0 - - 0
4 ops 5 cfgdown 127.0.0.1 0 5 10 10 4 1 0 0 14 0 0 0 - 28093 - 0 0 - - 0
4 ops 6 tracker 127.0.0.1 0 16 10 10 1 1 0 2 0 0 0 0 - 28094 - 0 0 - - 0


"""#

    /// `show stat` with 2 sessions on pool/p1 and 2 requests queued in pool. checked/busy's `last_chk` is a quoted field with commas and doubled quotes.
    static let stat = #"""
# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,
web,FRONTEND,,,0,0,9982,0,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,0,0,0,,,,0,0,0,0,0,0,,0,0,0,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,http,,0,0,0,0,0,0,0,,,0,0,,,,,,,0,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
app,s1,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP,10,1,0,0,0,3,0,,1,3,1,,0,,2,0,,0,L4OK,,0,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,Layer4 check passed,,2,3,4,,,,127.0.0.1:28081,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
app,s2,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,10,1,0,,,3,,,1,3,2,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28082,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
app,s3,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,10,1,0,1,1,3,3,,1,3,3,,0,,2,0,,0,L4CON,,0,0,0,0,0,0,0,,,,0,0,0,,,,,-1,Connection refused,,0,0,0,0,,,,Layer4 connection problem,,1,1,0,,,,127.0.0.1:28083,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
app,s4,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,10,1,0,,,3,,,1,3,4,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,[::1]:28084,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
app,s5,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,5,1,0,,,3,,,1,3,5,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,[::1]:28085,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,5,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
app,s6,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,0,1,0,,,3,,,1,3,6,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28086,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,0,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
app,BACKEND,0,0,0,0,999,0,0,0,0,0,,0,0,0,0,UP,25,3,0,,0,3,0,,1,3,0,,0,,1,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,0,0,0,0,-1,,,0,0,0,0,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,0,0,0,0,,,0,0,0,0,0,,,,,25,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
ops,drained,0,0,0,0,,0,0,0,,0,,0,0,0,0,DRAIN,10,1,0,,,1,,,1,4,1,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28087,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
ops,maint,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,10,1,0,,,1,,,1,4,2,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28088,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
ops,readied,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,10,1,0,,,1,,,1,4,3,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28089,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
ops,zero,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,0,1,0,,,3,,,1,4,4,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28092,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,0,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
ops,cfgdown,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,10,1,0,0,0,3,3,,1,4,5,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28093,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
ops,tracker,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,10,1,0,,,3,,,1,4,6,,0,app/s3,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28094,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
ops,BACKEND,0,0,0,0,1,0,0,0,0,0,,0,0,0,0,UP,10,1,0,,0,3,0,,1,4,0,,0,,1,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,0,0,0,0,-1,,,0,0,0,0,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,0,0,0,0,,,0,0,0,0,0,,,,,10,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
empty,BACKEND,0,0,0,0,1,0,0,0,0,0,,0,0,0,0,UP,0,0,0,,0,3,,,1,5,0,,0,,1,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,0,0,0,0,-1,,,0,0,0,0,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,0,0,0,0,,,0,0,0,0,0,,,,,0,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
checked,busy,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,10,1,0,1,1,3,3,,1,6,1,,0,,2,0,,0,L7STS,503,0,0,0,0,0,0,0,,,,0,0,0,,,,,-1,"Busy, ""really"", try later",,0,0,0,0,,,,Layer7 wrong status,,1,1,0,,,,127.0.0.1:28095,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
checked,BACKEND,0,0,0,0,1,0,0,0,0,0,,0,0,0,0,DOWN,0,0,0,,1,3,3,,1,6,0,,0,,1,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,0,0,0,0,-1,,,0,0,0,0,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,0,0,0,0,,,0,0,0,0,0,,,,,0,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,9,9,549,216,0,0,
poolfe,FRONTEND,,,4,4,9982,4,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,7,0,,,,0,4,0,4,,,,0,0,0,0,0,0,,4,4,4,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,http,,4,4,4,0,0,0,0,,,0,0,,,,,,,0,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,4,4,4,4,124,0,0,0,
pool,p1,0,0,2,2,2,2,0,0,,0,,0,0,0,0,no check,10,1,0,,,3,,,1,8,1,,2,,2,2,,2,,,,0,0,0,0,0,0,,,,0,0,0,,,,,1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28097,,http,,,,,,,,0,2,0,,,0,,0,0,0,0,0,0,0,2,2,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
pool,BACKEND,2,2,4,4,999,4,0,0,0,0,,0,0,0,0,UP,10,1,0,,0,3,0,,1,8,0,,2,,1,4,,4,,,,0,0,0,0,0,0,,,,0,0,0,0,0,0,0,1,,,0,0,0,0,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,2,0,0,0,,,0,0,0,0,0,,,,,10,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2,2,2,2,0,62,0,0,


"""#

    /// `show stat` after `set server app/s3 state maint` (the run without pool): ops/tracker is `MAINT (via app/s3)`.
    static let statInheritedMaint = #"""
# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,
web,FRONTEND,,,0,0,9983,0,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,0,0,0,,,,0,0,0,0,0,0,,0,0,0,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,http,,0,0,0,0,0,0,0,,,0,0,,,,,,,0,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
app,s1,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP,10,1,0,0,0,3,0,,1,3,1,,0,,2,0,,0,L4OK,,0,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,Layer4 check passed,,2,3,4,,,,127.0.0.1:28081,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
app,s2,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,10,1,0,,,3,,,1,3,2,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28082,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
app,s3,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,10,1,0,1,1,3,3,,1,3,3,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28083,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
app,s4,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,10,1,0,,,3,,,1,3,4,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,[::1]:28084,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
app,s5,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,5,1,0,,,3,,,1,3,5,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,[::1]:28085,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,5,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
app,s6,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,0,1,0,,,3,,,1,3,6,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28086,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,0,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
app,BACKEND,0,0,0,0,999,0,0,0,0,0,,0,0,0,0,UP,25,3,0,,0,3,0,,1,3,0,,0,,1,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,0,0,0,0,-1,,,0,0,0,0,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,0,0,0,0,,,0,0,0,0,0,,,,,25,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
ops,drained,0,0,0,0,,0,0,0,,0,,0,0,0,0,DRAIN,10,1,0,,,1,,,1,4,1,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28087,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
ops,maint,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,10,1,0,,,1,,,1,4,2,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28088,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
ops,readied,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,10,1,0,,,1,,,1,4,3,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28089,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
ops,zero,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,0,1,0,,,3,,,1,4,4,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28092,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,0,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
ops,cfgdown,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,10,1,0,0,0,3,3,,1,4,5,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28093,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
ops,tracker,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT (via app/s3),10,1,0,,,3,,,1,4,6,,0,app/s3,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28094,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
ops,BACKEND,0,0,0,0,1,0,0,0,0,0,,0,0,0,0,UP,10,1,0,,0,3,0,,1,4,0,,0,,1,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,0,0,0,0,-1,,,0,0,0,0,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,0,0,0,0,,,0,0,0,0,0,,,,,10,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
empty,BACKEND,0,0,0,0,1,0,0,0,0,0,,0,0,0,0,UP,0,0,0,,0,3,,,1,5,0,,0,,1,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,0,0,0,0,-1,,,0,0,0,0,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,0,0,0,0,,,0,0,0,0,0,,,,,0,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
checked,busy,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,10,1,0,1,1,3,3,,1,6,1,,0,,2,0,,0,L7STS,503,0,0,0,0,0,0,0,,,,0,0,0,,,,,-1,"Busy, ""really"", try later",,0,0,0,0,,,,Layer7 wrong status,,1,1,0,,,,127.0.0.1:28095,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,10,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
checked,BACKEND,0,0,0,0,1,0,0,0,0,0,,0,0,0,0,DOWN,0,0,0,,1,3,3,,1,6,0,,0,,1,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,0,0,0,0,-1,,,0,0,0,0,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,0,0,0,0,,,0,0,0,0,0,,,,,0,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,11,11,671,264,0,0,


"""#

    /// `show servers conn` after the 4 requests: pool/p1 keeps 2 idle connections, one per thread.
    static let serversConn = #"""
# bkname/svname bkid/svid addr port - purge_delay used_cur used_max need_est unsafe_nb safe_nb idle_lim idle_cur idle_per_thr[2]
app/s1 3/1 127.0.0.1 28081 - 5000 0 1 1 0 0 -1 0 0 0
app/s2 3/2 127.0.0.1 28082 - 5000 0 0 0 0 0 -1 0 0 0
app/s3 3/3 127.0.0.1 28083 - 5000 0 1 1 0 0 -1 0 0 0
app/s4 3/4 ::1 28084 - 5000 0 0 0 0 0 -1 0 0 0
app/s5 3/5 ::1 28085 - 5000 0 0 0 0 0 -1 0 0 0
app/s6 3/6 127.0.0.1 28086 - 5000 0 0 0 0 0 -1 0 0 0
ops/drained 4/1 127.0.0.1 28087 - 5000 0 0 0 0 0 -1 0 0 0
ops/maint 4/2 127.0.0.1 28088 - 5000 0 0 0 0 0 -1 0 0 0
ops/readied 4/3 127.0.0.1 28089 - 5000 0 0 0 0 0 -1 0 0 0
ops/zero 4/4 127.0.0.1 28092 - 5000 0 0 0 0 0 -1 0 0 0
ops/cfgdown 4/5 127.0.0.1 28093 - 5000 0 0 0 0 0 -1 0 0 0
ops/tracker 4/6 127.0.0.1 28094 - 5000 0 0 0 0 0 -1 0 0 0
checked/busy 6/1 127.0.0.1 28095 - 5000 0 1 1 0 0 -1 0 0 0
pool/p1 8/1 127.0.0.1 28097 - 5000 0 0 2 2 0 -1 2 1 1


"""#

    /// `show servers conn pool` while p1 serves 2 requests.
    static let serversConnBusy = #"""
# bkname/svname bkid/svid addr port - purge_delay used_cur used_max need_est unsafe_nb safe_nb idle_lim idle_cur idle_per_thr[2]
pool/p1 8/1 127.0.0.1 28097 - 5000 2 2 2 0 0 -1 0 0 0


"""#

    /// `show servers conn empty`: a backend without servers.
    static let serversConnEmpty = #"""
# bkname/svname bkid/svid addr port - purge_delay used_cur used_max need_est unsafe_nb safe_nb idle_lim idle_cur idle_per_thr[2]


"""#
}

enum HAProxy30 {
    /// `HAProxy26.stat` with 3.0's ten further columns before `-`.
    static let stat = #"""
# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,srid,sess_other,h1sess,h2sess,h3sess,req_other,h1req,h2req,h3req,proto,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,
web,FRONTEND,,,0,0,9982,0,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,0,0,0,,,,0,0,0,0,0,0,,0,0,0,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,http,,0,0,0,0,0,0,0,,,0,0,,,,,,,0,,,,,,,,,,0,0,0,0,0,0,0,0,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
app,s1,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP,10,1,0,0,0,3,0,,1,3,1,,0,,2,0,,0,L4OK,,0,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,Layer4 check passed,,2,3,4,,,,127.0.0.1:28081,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,10,,,,0,,,,,,,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
app,s2,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,10,1,0,,,3,,,1,3,2,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28082,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,0,,,,,,,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
app,s3,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,10,1,0,1,1,3,3,,1,3,3,,0,,2,0,,0,L4CON,,0,0,0,0,0,0,0,,,,0,0,0,,,,,-1,Connection refused,,0,0,0,0,,,,Layer4 connection problem,,1,1,0,,,,127.0.0.1:28083,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,10,,,,0,,,,,,,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
app,s4,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,10,1,0,,,3,,,1,3,4,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,[::1]:28084,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,0,,,,,,,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
app,s5,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,5,1,0,,,3,,,1,3,5,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,[::1]:28085,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,5,,,,0,,,,,,,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
app,s6,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,0,1,0,,,3,,,1,3,6,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28086,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,0,,,,0,,,,,,,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
app,BACKEND,0,0,0,0,999,0,0,0,0,0,,0,0,0,0,UP,25,3,0,,0,3,0,,1,3,0,,0,,1,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,0,0,0,0,-1,,,0,0,0,0,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,0,0,0,0,,,0,0,0,0,0,,,,,25,0,0,0,,,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
ops,drained,0,0,0,0,,0,0,0,,0,,0,0,0,0,DRAIN,10,1,0,,,1,,,1,4,1,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28087,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,0,,,,,,,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
ops,maint,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,10,1,0,,,1,,,1,4,2,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28088,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,0,,,,,,,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
ops,readied,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,10,1,0,,,1,,,1,4,3,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28089,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,0,,,,,,,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
ops,zero,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,0,1,0,,,3,,,1,4,4,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28092,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,0,,,,0,,,,,,,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
ops,cfgdown,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,10,1,0,0,0,3,3,,1,4,5,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28093,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,0,,,,,,,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
ops,tracker,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,10,1,0,,,3,,,1,4,6,,0,app/s3,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28094,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,10,,,,0,,,,,,,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
ops,BACKEND,0,0,0,0,1,0,0,0,0,0,,0,0,0,0,UP,10,1,0,,0,3,0,,1,4,0,,0,,1,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,0,0,0,0,-1,,,0,0,0,0,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,0,0,0,0,,,0,0,0,0,0,,,,,10,0,0,0,,,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
empty,BACKEND,0,0,0,0,1,0,0,0,0,0,,0,0,0,0,UP,0,0,0,,0,3,,,1,5,0,,0,,1,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,0,0,0,0,-1,,,0,0,0,0,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,0,0,0,0,,,0,0,0,0,0,,,,,0,0,0,0,,,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
checked,busy,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,10,1,0,1,1,3,3,,1,6,1,,0,,2,0,,0,L7STS,503,0,0,0,0,0,0,0,,,,0,0,0,,,,,-1,"Busy, ""really"", try later",,0,0,0,0,,,,Layer7 wrong status,,1,1,0,,,,127.0.0.1:28095,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,10,,,,0,,,,,,,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
checked,BACKEND,0,0,0,0,1,0,0,0,0,0,,0,0,0,0,DOWN,0,0,0,,1,3,3,,1,6,0,,0,,1,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,0,0,0,0,-1,,,0,0,0,0,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,0,0,0,0,,,0,0,0,0,0,,,,,0,0,0,0,,,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,9,9,549,216,0,0,
poolfe,FRONTEND,,,4,4,9982,4,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,7,0,,,,0,4,0,4,,,,0,0,0,0,0,0,,4,4,4,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,http,,4,4,4,0,0,0,0,,,0,0,,,,,,,0,,,,,,,,,,0,0,0,0,0,0,0,0,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,4,4,4,4,124,0,0,0,
pool,p1,0,0,2,2,2,2,0,0,,0,,0,0,0,0,no check,10,1,0,,,3,,,1,8,1,,2,,2,2,,2,,,,0,0,0,0,0,0,,,,0,0,0,,,,,1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:28097,,http,,,,,,,,0,2,0,,,0,,0,0,0,0,0,0,0,2,2,10,,,,0,,,,,,,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
pool,BACKEND,2,2,4,4,999,4,0,0,0,0,,0,0,0,0,UP,10,1,0,,0,3,0,,1,8,0,,2,,1,4,,4,,,,0,0,0,0,0,0,,,,0,0,0,0,0,0,0,1,,,0,0,0,0,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,2,0,0,0,,,0,0,0,0,0,,,,,10,0,0,0,,,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2,2,2,2,0,62,0,0,


"""#
}

enum HAProxy33 {
    /// `HAProxy26.serversConn` with 3.3's `served` and `idle_sess` columns.
    static let serversConn = #"""
# bkname/svname bkid/svid addr port - purge_delay served used_cur used_max need_est idle_sess unsafe_nb safe_nb idle_lim idle_cur idle_per_thr[2]
app/s1 3/1 127.0.0.1 28081 - 5000 0 0 1 1 0 0 0 -1 0 0 0
app/s2 3/2 127.0.0.1 28082 - 5000 0 0 0 0 0 0 0 -1 0 0 0
app/s3 3/3 127.0.0.1 28083 - 5000 0 0 1 1 0 0 0 -1 0 0 0
app/s4 3/4 ::1 28084 - 5000 0 0 0 0 0 0 0 -1 0 0 0
app/s5 3/5 ::1 28085 - 5000 0 0 0 0 0 0 0 -1 0 0 0
app/s6 3/6 127.0.0.1 28086 - 5000 0 0 0 0 0 0 0 -1 0 0 0
ops/drained 4/1 127.0.0.1 28087 - 5000 0 0 0 0 0 0 0 -1 0 0 0
ops/maint 4/2 127.0.0.1 28088 - 5000 0 0 0 0 0 0 0 -1 0 0 0
ops/readied 4/3 127.0.0.1 28089 - 5000 0 0 0 0 0 0 0 -1 0 0 0
ops/zero 4/4 127.0.0.1 28092 - 5000 0 0 0 0 0 0 0 -1 0 0 0
ops/cfgdown 4/5 127.0.0.1 28093 - 5000 0 0 0 0 0 0 0 -1 0 0 0
ops/tracker 4/6 127.0.0.1 28094 - 5000 0 0 0 0 0 0 0 -1 0 0 0
checked/busy 6/1 127.0.0.1 28095 - 5000 0 0 1 1 0 0 0 -1 0 0 0
pool/p1 8/1 127.0.0.1 28097 - 5000 0 0 0 2 0 2 0 -1 2 1 1


"""#

    /// `HAProxy26.serversConnBusy` with 3.3's columns: p1 serves 2 streams.
    static let serversConnBusy = #"""
# bkname/svname bkid/svid addr port - purge_delay served used_cur used_max need_est idle_sess unsafe_nb safe_nb idle_lim idle_cur idle_per_thr[2]
pool/p1 8/1 127.0.0.1 28097 - 5000 2 2 2 2 0 0 0 -1 0 0 0


"""#
}
