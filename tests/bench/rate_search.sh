# The highest offered rate of UDP datagrams of one size that a path carries
# with at most RATE_LOSS percent loss, found by a search in the manner of
# RFC 2544's throughput test: trials at a fixed offered rate, bisected
# between the rate that passed and the rate that failed. Flooding (-b 0) is
# no measure of this: the receiver's queue overflows and what it counts is
# how fast it drops. Sourced by bench.sh after measure.sh (iperf, record).
# Environment: RATE_SECONDS (2) per trial, RATE_DESCENT (6) halvings at most
# to find a rate that passes, RATE_STEPS (4) bisection steps after it,
# RATE_LOSS (0.1) percent, RATE_SIZES ("64 512 1400") payload bytes.

RATE_SECONDS=${RATE_SECONDS:-2}
RATE_STEPS=${RATE_STEPS:-4}
RATE_DESCENT=${RATE_DESCENT:-6}
RATE_LOSS=${RATE_LOSS:-0.1}
read -r -a RATE_SIZES <<<"${RATE_SIZES:-64 512 1400}"
RATE_PATHS=(raw vxlan tvpn tvpn_pwd openvpn wg tinc fastd n2n)

# udp_trial PATH SIZE KPPS: offers KPPS thousand datagrams a second (0: as
# fast as iperf3 can) of SIZE payload bytes, a->b; prints "sent received
# loss": kpps sent, kpps received, loss in percent of those sent.
udp_trial() {
  local path=$1 size=$2 kpps=$3 bps
  bps=$(awk -v k="$kpps" -v s="$size" 'BEGIN { printf "%.0f", k * 1000 * s * 8 }')
  iperf "$path" "rate-$path-$size" -u -l "$size" -b "$bps" -t "$RATE_SECONDS"
  # The receiver's packets include the lost ones (its highest sequence number).
  jq -er '.end | [.sum_sent.packets / .sum_sent.seconds / 1000,
      (.sum_received.packets - .sum_received.lost_packets) / .sum_received.seconds / 1000,
      (if .sum_received.packets > 0 then 100 * .sum_received.lost_packets / .sum_received.packets else 100 end)]
      | @tsv' "$TVPN_TMP/rate-$path-$size.json" || die "no UDP trial result for $path, $size bytes"
}

# trial PATH SIZE KPPS: udp_trial into the caller's sent, recv and loss. It runs
# in a subshell for its output, where die would stop only the subshell: a trial
# without a result stops the benchmark here instead of passing as lossless.
trial() {
  read -r sent recv loss <<<"$(udp_trial "$@")"
  [[ -n "$loss" ]] || die "no UDP trial result for $1, $2 bytes at ${3} kpps (0: flood)"
}

# loss_ok LOSS: LOSS (percent) is within RATE_LOSS.
loss_ok() { awk -v l="$1" -v max="$RATE_LOSS" 'BEGIN { exit !(l <= max) }'; }

# measure_rate PATH SIZE: records rate_SIZE, the received kpps of the fastest
# trial within the loss bound (0 when none was). Starts with a flood: when
# even that passes, the sender is the limit and its rate is the result.
# Otherwise it first tries what the flood delivered, halving the offer until
# a trial passes (at most RATE_DESCENT times), then bisects RATE_STEPS times
# between the fastest rate that passed and the slowest that failed.
measure_rate() {
  local path=$1 size=$2 sent recv loss lo=0 best=0 hi offer i
  trial "$path" "$size" 0
  if loss_ok "$loss"; then
    record "$path" "rate_$size" "$recv"
    return
  fi
  hi=$sent
  offer=$(awk -v r="$recv" -v h="$hi" 'BEGIN { print (r > 0 && r < h) ? r : h / 2 }')
  for ((i = 0; i < RATE_DESCENT; i++)); do
    trial "$path" "$size" "$offer"
    if loss_ok "$loss"; then lo=$offer best=$recv; break; fi
    hi=$offer
    offer=$(awk -v o="$offer" 'BEGIN { print o / 2 }')
  done
  if awk -v l="$lo" 'BEGIN { exit !(l > 0) }'; then
    for ((i = 0; i < RATE_STEPS; i++)); do
      offer=$(awk -v l="$lo" -v h="$hi" 'BEGIN { print (l + h) / 2 }')
      trial "$path" "$size" "$offer"
      if loss_ok "$loss"; then
        lo=$offer
        best=$(awk -v a="$best" -v b="$recv" 'BEGIN { print (b > a) ? b : a }')
      else
        hi=$offer
      fi
    done
  fi
  record "$path" "rate_$size" "$best"
}

# measure_rates PATH: the search for each size, when PATH is one that the rate table compares.
measure_rates() {
  local s p
  for p in "${RATE_PATHS[@]}"; do
    [[ $p == "$1" ]] || continue
    for s in "${RATE_SIZES[@]}"; do measure_rate "$1" "$s"; done
  done
}
