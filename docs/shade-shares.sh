# Shares of ░▒▓ (mean linear light over that of █), white on black, in
# TERMINAL (xterm or kitty) with DejaVu Sans Mono at SIZE pt, under Xvfb.
T=${1:-xterm}; SIZE=${2:-14}; D=:78
cat > /tmp/shades.sh <<'S'
printf '\033[?25l'
for g in ░ ▒ ▓ █; do
  printf '\033[38;5;231;48;5;16m'; for i in $(seq 30); do printf %s "$g"; done; printf '\033[0m\n'
done
sleep 5
S
Xvfb $D -screen 0 1024x768x24 2>/dev/null & X=$!; sleep 1
if [ "$T" = kitty ]; then
  DISPLAY=$D LIBGL_ALWAYS_SOFTWARE=1 kitty -o font_family='DejaVu Sans Mono' -o font_size=$SIZE \
    -o background=#000000 sh /tmp/shades.sh &
else
  LANG=C.UTF-8 xterm -display $D -bg black -geometry 40x6+0+0 -fa 'DejaVu Sans Mono' -fs $SIZE \
    -e sh /tmp/shades.sh &
fi
sleep 4; import -display $D -window root /tmp/shades.png; kill $X; wait 2>/dev/null
H=$(( $(convert /tmp/shades.png -trim -format %h info:) / 4 ))
for r in 0 1 2 3; do
  convert /tmp/shades.png -trim +repage -crop 200x$H+4+$((r*H)) +repage -colorspace RGB -format '%[fx:mean] ' info:
done | awk '{ printf "░ %.2f ▒ %.2f ▓ %.2f\n", $1/$4, $2/$4, $3/$4 }'
