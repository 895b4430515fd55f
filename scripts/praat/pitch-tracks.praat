form Pitch tracks
  sentence inDir /tmp
  sentence outDir /tmp
endform
list = Create Strings as file list: "files", inDir$ + "/*.wav"
n = Get number of strings
for k to n
  selectObject: list
  name$ = Get string: k
  sound = Read from file: inDir$ + "/" + name$
  pitch = To Pitch (ac): 0.01, 75, 15, "no", 0.03, 0.45, 0.01, 0.35, 0.14, 600
  frames = Get number of frames
  out$ = outDir$ + "/" + (name$ - ".wav") + ".f0"
  deleteFile: out$
  for i to frames
    t = Get time from frame number: i
    f = Get value in frame: i, "Hertz"
    if f = undefined
      f = 0
    endif
    appendFileLine: out$, fixed$(t, 4), tab$, fixed$(f, 2)
  endfor
  removeObject: sound, pitch
endfor
removeObject: list
